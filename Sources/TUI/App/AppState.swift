// The whole UI state as one value: what update changes and view draws. No references, no terminal, no runtime.
import Foundation

/// Which pane receives keys.
public enum Focus: String, Hashable, Sendable, CaseIterable {
    case editor, transcript, callTree
}

/// Everything the workbench shows.
public struct AppState: Hashable, Sendable {
    public var size: Size
    public var focus: Focus = .editor
    public var editor = EditorState()
    public var completion: CompletionState?

    public var transcript: [TranscriptEntry] = []
    public var transcriptScroll = ScrollView()

    public var callTree: [CallNodeView] = []
    public var selectedCallID: String?
    /// The user's expand/collapse choices by node id (override the runtime's defaults).
    public var expansion: [String: Bool] = [:]

    public var cost = CostSnapshot()
    public var latency = LatencySnapshot()
    public var status = StatusInfo()

    public var showHelp = false
    public var helpScroll = 0
    public var notice: Notice?
    /// When the notice disappears.
    public var noticeExpiry: Date?
    /// Set by a first Ctrl-C on an empty editor; a second one quits.
    public var quitArmed = false

    /// Last tick time and frame counter (spinners).
    public var now: Date
    public var frame = 0

    public var themeName = "dark"
    public var catalog = SlashCompleter.Catalog()
    public var keyMap = KeyMap.standard

    public init(size: Size, now: Date = Date(timeIntervalSince1970: 0)) {
        self.size = size
        self.now = now
    }

    /// True while a reply is streaming or the runtime reports a running call.
    public var isGenerating: Bool { status.generating || transcript.last?.streaming == true }

    /// True when something on screen animates, so the program keeps ticking at frame rate.
    public var isAnimating: Bool {
        isGenerating || callTree.contains(where: Self.hasRunning) || noticeExpiry != nil
    }

    private static func hasRunning(_ n: CallNodeView) -> Bool {
        n.status == .running || n.children.contains(where: hasRunning)
    }
}
