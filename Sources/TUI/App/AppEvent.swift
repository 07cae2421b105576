// Everything that can happen to the UI: terminal input, time, and display-model updates from the runtime.
import Foundation

/// An input to `Workbench.update`.
public enum AppEvent: Hashable, Sendable {
    case key(Key)
    case paste(String)
    case mouse(MouseEvent)
    case resize(Size)
    /// Time passes (spinners, notice expiry).
    case tick(Date)
    case transcript(TranscriptUpdate)
    case callTree([CallNodeView])
    case cost(CostSnapshot)
    case latency(LatencySnapshot)
    case status(StatusInfo)
    /// A message for the status bar (command results, errors from effects).
    case notice(Notice)
    /// The program switched to this theme.
    case themeChanged(String)
    /// What completion offers for /theme, /model and /agent.
    case catalog(SlashCompleter.Catalog)

    /// The app event for a terminal input event.
    public init(_ input: InputEvent) {
        switch input {
        case .key(let k): self = .key(k)
        case .paste(let p): self = .paste(p)
        case .mouse(let m): self = .mouse(m)
        case .resize(let s): self = .resize(s)
        }
    }
}
