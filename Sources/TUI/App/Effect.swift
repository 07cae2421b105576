// What update asks the outside world to do. Returned, never performed inside update, so update stays pure and
// tests read the effects as data.

/// A request from the UI to the program or runtime.
public enum Effect: Hashable, Sendable {
    /// Send a user message to the current model or agent.
    case submit(String)
    /// A slash command for the runtime (/model, /system, /agent, /run, /spec, /budget, /save, /clear).
    case command(SlashCommand)
    /// Stop the running generation.
    case cancelGeneration
    /// Load and apply a theme (handled by the program, then passed to the effect handler once applied).
    case loadTheme(String)
    /// Repaint every cell (handled by the program).
    case redraw
    /// Leave the program.
    case quit
}
