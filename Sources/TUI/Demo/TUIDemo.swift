// A runnable demo of the whole workbench on the real terminal with canned data and a simulated runtime, for
// manual checks before the real runtime is wired in (the CLI calls `TUIDemo.run()`).
import Foundation

/// Entry point of the demo.
public enum TUIDemo {
    /// Takes over the terminal, runs the workbench until the user quits, and restores the terminal.
    /// - Parameter themeName: a theme from the theme directories (falls back to the built-in 16-colour theme).
    public static func run(themeName: String = "dark") throws(TUIError) {
        let backend = try NcursesBackend()
        let loader = ThemeLoader(directories: ThemeLoader.defaultDirectories())
        let theme = (try? loader.load(named: themeName)) ?? .fallback
        let runtime = DemoRuntime()
        var state = DemoData.state(size: backend.size)
        state.catalog.themes = loader.availableThemes()
        let program = Program(
            state: state, backend: backend, theme: theme, themeLoader: loader,
            effects: { effect, inbox in runtime.handle(effect, inbox: inbox) })
        program.run()
    }
}
