// The pure update function: applies one event to the state and returns the effects to perform. One function
// per concern (keys by focus, mouse, runtime updates, slash commands).
import Foundation

extension Workbench {
    /// Applies `event` to `state`; returns what the program or runtime should do. Never performs I/O.
    public static func update(_ state: inout AppState, _ event: AppEvent) -> [Effect] {
        switch event {
        case .key(let key):
            return handleKey(&state, key)
        case .paste(let text):
            guard !state.showHelp else { return [] }
            state.focus = .editor
            state.completion = nil
            state.quitArmed = false
            state.editor.insert(text)
            return []
        case .mouse(let mouse):
            return handleMouse(&state, mouse)
        case .resize(let size):
            state.size = size
            return []
        case .tick(let date):
            state.now = date
            state.frame &+= 1
            if let expiry = state.noticeExpiry, date >= expiry {
                state.notice = nil
                state.noticeExpiry = nil
                state.quitArmed = false
            }
            return []
        case .transcript(let change):
            applyTranscript(&state, change)
            return []
        case .callTree(let nodes):
            state.callTree = nodes
            let rows = CallTreePane.rows(nodes, expansion: state.expansion)
            if !rows.contains(where: { $0.node.id == state.selectedCallID }) {
                state.selectedCallID = rows.last?.node.id
            }
            return []
        case .cost(let cost):
            state.cost = cost
            return []
        case .latency(let latency):
            state.latency = latency
            return []
        case .status(let status):
            state.status = status
            return []
        case .notice(let notice):
            show(notice, in: &state)
            return []
        case .themeChanged(let name):
            state.themeName = name
            show(Notice("theme " + name), in: &state)
            return []
        case .catalog(let catalog):
            state.catalog = catalog
            return []
        }
    }

    static func show(_ notice: Notice, in state: inout AppState) {
        state.notice = notice
        state.noticeExpiry = state.now.addingTimeInterval(noticeDuration)
    }

    // MARK: Keys

    static func context(of state: AppState) -> KeyContext {
        if state.showHelp { return .overlay }
        switch state.focus {
        case .editor: return .editor
        case .transcript: return .transcript
        case .callTree: return .callTree
        }
    }

    static func handleKey(_ state: inout AppState, _ key: Key) -> [Effect] {
        let context = context(of: state)
        let action = state.keyMap.action(for: key, in: context)
        if action != .interrupt { state.quitArmed = false }
        if context == .overlay { return handleOverlay(&state, action) }
        if context == .editor && key == .char("?") && state.editor.isEmpty {
            state.showHelp = true
            state.helpScroll = 0
            return []
        }
        guard let action else {
            if let c = key.text {
                state.focus = .editor
                state.completion = nil
                state.editor.insert(String(c))
            }
            return []
        }
        if action != .complete && action != .completePrevious && action != .send { state.completion = nil }
        return perform(action, &state)
    }

    static func handleOverlay(_ state: inout AppState, _ action: Action?) -> [Effect] {
        switch action {
        case .closeOverlay, .help, .interrupt: state.showHelp = false
        case .scrollUp: state.helpScroll = max(0, state.helpScroll - 1)
        case .scrollDown: state.helpScroll += 1
        case .pageUp: state.helpScroll = max(0, state.helpScroll - 10)
        case .pageDown: state.helpScroll += 10
        case .quit: return [.quit]
        default: break
        }
        return []
    }

    static func perform(_ action: Action, _ state: inout AppState) -> [Effect] {
        switch action {
        case .quit:
            return [.quit]
        case .interrupt:
            return interrupt(&state)
        case .help:
            state.showHelp.toggle()
            state.helpScroll = 0
        case .redraw:
            return [.redraw]
        case .focusNext:
            moveFocus(&state, by: 1)
        case .focusPrevious:
            moveFocus(&state, by: -1)
        case .focusEditor:
            state.focus = .editor
        case .closeOverlay:
            break
        case .send:
            return send(&state)
        case .newline:
            state.editor.insertNewline()
        case .complete, .completePrevious:
            complete(&state, forward: action == .complete)
        case .cursorLeft: state.editor.moveLeft()
        case .cursorRight: state.editor.moveRight()
        case .wordLeft: state.editor.moveWordLeft()
        case .wordRight: state.editor.moveWordRight()
        case .lineStart: state.editor.moveLineStart()
        case .lineEnd: state.editor.moveLineEnd()
        case .cursorUp:
            if !state.editor.moveUp() { state.editor.historyPrevious() }
        case .cursorDown:
            if !state.editor.moveDown() { state.editor.historyNext() }
        case .deleteBackward: state.editor.deleteBackward()
        case .deleteForward: state.editor.deleteForward()
        case .deleteWordBackward: state.editor.deleteWordBackward()
        case .deleteToLineStart: state.editor.deleteToLineStart()
        case .deleteToLineEnd: state.editor.deleteToLineEnd()
        case .scrollUp: scrollTranscript(&state, by: -1)
        case .scrollDown: scrollTranscript(&state, by: 1)
        case .pageUp: scrollTranscript(&state, by: -max(1, transcriptMetrics(state).viewport - 1))
        case .pageDown: scrollTranscript(&state, by: max(1, transcriptMetrics(state).viewport - 1))
        case .scrollTop: state.transcriptScroll.scrollToTop()
        case .scrollBottom: state.transcriptScroll.scrollToBottom()
        case .selectPrevious: moveSelection(&state, by: -1)
        case .selectNext: moveSelection(&state, by: 1)
        case .toggleExpand: setExpansion(&state, to: nil)
        case .expand: setExpansion(&state, to: true)
        case .collapse: setExpansion(&state, to: false)
        }
        return []
    }

    static func interrupt(_ state: inout AppState) -> [Effect] {
        if state.isGenerating {
            state.quitArmed = false
            show(Notice("cancelling…", level: .warning), in: &state)
            return [.cancelGeneration]
        }
        if !state.editor.isEmpty || state.completion != nil {
            state.editor.clear()
            state.completion = nil
            return []
        }
        if state.quitArmed { return [.quit] }
        state.quitArmed = true
        show(Notice("press Ctrl-C again to quit", level: .warning), in: &state)
        return []
    }

    static func moveFocus(_ state: inout AppState, by step: Int) {
        var order: [Focus] = [.editor, .transcript]
        if WorkbenchLayout(state: state).callTree != nil { order.append(.callTree) }
        let i = order.firstIndex(of: state.focus) ?? 0
        state.focus = order[((i + step) % order.count + order.count) % order.count]
    }

    // MARK: Editor

    static func send(_ state: inout AppState) -> [Effect] {
        if state.completion != nil {
            state.completion = nil
            return []
        }
        guard let text = state.editor.submit() else { return [] }
        if text.hasPrefix("/") { return runCommand(text, &state) }
        state.transcript.append(TranscriptEntry(role: .user, text: text))
        state.transcriptScroll.scrollToBottom()
        return [.submit(text)]
    }

    static func complete(_ state: inout AppState, forward: Bool) {
        if var c = state.completion {
            let n = c.candidates.count
            c.index = ((c.index + (forward ? 1 : -1)) % n + n) % n
            state.completion = c
            state.editor.setText(c.text)
            return
        }
        let text = state.editor.text
        guard text.hasPrefix("/") else {
            if text.isEmpty { moveFocus(&state, by: forward ? 1 : -1) }
            return
        }
        guard let c = SlashCompleter.complete(text, catalog: state.catalog) else {
            show(Notice("no completion for " + TextFit.truncate(text, to: 30), level: .warning), in: &state)
            return
        }
        state.editor.setText(c.text)
        state.completion = c.candidates.count > 1 ? c : nil
    }

    static func runCommand(_ text: String, _ state: inout AppState) -> [Effect] {
        let command: SlashCommand
        do {
            command = try SlashCommand.parse(text)
        } catch {
            show(Notice(error.description, level: .error), in: &state)
            return []
        }
        switch command {
        case .help:
            state.showHelp = true
            state.helpScroll = 0
            return []
        case .quit:
            return [.quit]
        case .clear:
            state.transcript = []
            state.transcriptScroll = ScrollView()
            show(Notice("new conversation"), in: &state)
            return [.command(.clear)]
        case .theme(nil):
            let names = state.catalog.themes.isEmpty ? "none found" : state.catalog.themes.joined(separator: ", ")
            show(Notice("themes: " + names + " (current: " + state.themeName + ")"), in: &state)
            return []
        case .theme(let name?):
            return [.loadTheme(name)]
        default:
            return [.command(command)]
        }
    }

    // MARK: Transcript

    static func applyTranscript(_ state: inout AppState, _ change: TranscriptUpdate) {
        switch change {
        case .append(let entry):
            state.transcript.append(entry)
        case .stream(let text):
            if let i = state.transcript.lastIndex(where: { $0.streaming }) {
                state.transcript[i].text += text
            } else {
                state.transcript.append(TranscriptEntry(role: .assistant, text: text, streaming: true))
            }
        case .finishStreaming:
            for i in state.transcript.indices where state.transcript[i].streaming {
                state.transcript[i].streaming = false
            }
        case .clear:
            state.transcript = []
            state.transcriptScroll = ScrollView()
        }
    }

    /// Content height and viewport of the transcript at the current size.
    static func transcriptMetrics(_ state: AppState) -> (content: Int, viewport: Int) {
        let area = WorkbenchLayout(state: state).transcript
        let width = TranscriptPane.contentWidth(for: area)
        return (TranscriptLayout.height(state.transcript, width: width), max(0, area.height - 2))
    }

    static func scrollTranscript(_ state: inout AppState, by delta: Int) {
        let m = transcriptMetrics(state)
        state.transcriptScroll.scroll(by: delta, contentHeight: m.content, viewportHeight: m.viewport)
    }

    // MARK: Call tree

    static func moveSelection(_ state: inout AppState, by step: Int) {
        let rows = CallTreePane.rows(state.callTree, expansion: state.expansion)
        guard !rows.isEmpty else { return }
        let i = rows.firstIndex { $0.node.id == state.selectedCallID } ?? (step > 0 ? -1 : rows.count)
        state.selectedCallID = rows[max(0, min(rows.count - 1, i + step))].node.id
    }

    /// Sets (or toggles, when nil) the selected node's expansion; collapsing a leaf or a collapsed node selects
    /// its parent, as file trees do.
    static func setExpansion(_ state: inout AppState, to value: Bool?) {
        let rows = CallTreePane.rows(state.callTree, expansion: state.expansion)
        guard let i = rows.firstIndex(where: { $0.node.id == state.selectedCallID }) else { return }
        let row = rows[i]
        if value == false && (row.node.children.isEmpty || !row.isExpanded) {
            if let parent = rows[..<i].lastIndex(where: { $0.depth < row.depth }) {
                state.selectedCallID = rows[parent].node.id
            }
            return
        }
        guard !row.node.children.isEmpty else { return }
        state.expansion[row.node.id] = value ?? !row.isExpanded
    }

    // MARK: Mouse

    static func handleMouse(_ state: inout AppState, _ mouse: MouseEvent) -> [Effect] {
        let layout = WorkbenchLayout(state: state)
        guard !layout.tooSmall else { return [] }
        switch mouse.kind {
        case .wheelUp, .wheelDown:
            let up = mouse.kind == .wheelUp
            if state.showHelp {
                state.helpScroll = max(0, state.helpScroll + (up ? -wheelLines : wheelLines))
            } else if layout.transcript.contains(mouse.position) {
                scrollTranscript(&state, by: up ? -wheelLines : wheelLines)
            } else if layout.callTree?.contains(mouse.position) == true {
                moveSelection(&state, by: up ? -1 : 1)
            }
        case .press(button: 1):
            guard !state.showHelp else { return [] }
            if layout.editor.contains(mouse.position) {
                state.focus = .editor
            } else if layout.transcript.contains(mouse.position) {
                state.focus = .transcript
            } else if let area = layout.callTree, area.contains(mouse.position) {
                state.focus = .callTree
                let rows = CallTreePane.rows(state.callTree, expansion: state.expansion)
                let window = CallTreePane.listWindow(rows: rows, selectedID: state.selectedCallID,
                                                     innerHeight: area.height - 2)
                let row = mouse.position.y - (area.y + 1)
                if row >= 0, row < window.height, window.start + row < rows.count {
                    state.selectedCallID = rows[window.start + row].node.id
                }
            }
        default:
            break
        }
        return []
    }
}
