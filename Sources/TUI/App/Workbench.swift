// The workbench's Elm-style entry points live on this namespace: `update` (Workbench+Update.swift) and
// `view` (Workbench+View.swift).

/// The Tokenworks workbench UI: pure update and view functions over `AppState`.
public enum Workbench {
    /// How long a notice stays in the status bar, seconds.
    public static let noticeDuration: Double = 4
    /// Lines scrolled per mouse wheel step.
    public static let wheelLines = 3
}
