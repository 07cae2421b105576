// Scroll position of a pane over content taller than its viewport, with follow-tail: while following, the view
// sticks to the end as content grows (streaming); scrolling up stops following, scrolling back down resumes it.

/// Scroll offset of a vertical list of lines.
public struct ScrollView: Hashable, Sendable {
    /// First visible line; nil while following the tail.
    public var offset: Int?

    public init(offset: Int? = nil) { self.offset = offset }

    public var isFollowing: Bool { offset == nil }

    /// First visible line for this content and viewport.
    public func start(contentHeight: Int, viewportHeight: Int) -> Int {
        let maxStart = max(0, contentHeight - viewportHeight)
        guard let offset else { return maxStart }
        return max(0, min(offset, maxStart))
    }

    /// Scrolls by `delta` lines (negative: up). Reaching the end resumes following.
    public mutating func scroll(by delta: Int, contentHeight: Int, viewportHeight: Int) {
        let maxStart = max(0, contentHeight - viewportHeight)
        let next = start(contentHeight: contentHeight, viewportHeight: viewportHeight) + delta
        offset = next >= maxStart ? nil : max(0, next)
    }

    public mutating func scrollToTop() { offset = 0 }
    public mutating func scrollToBottom() { offset = nil }

    /// Draws a scrollbar thumb (┃) over a one-column area when the content does not fit.
    public func renderScrollbar(in column: Rect, contentHeight: Int, into buffer: inout ScreenBuffer, style: Style) {
        let h = column.height
        guard h > 0, contentHeight > h else { return }
        let thumb = max(1, h * h / contentHeight)
        let top = start(contentHeight: contentHeight, viewportHeight: h)
        let maxStart = contentHeight - h
        let thumbTop = maxStart == 0 ? 0 : (h - thumb) * top / maxStart
        for y in 0..<thumb {
            buffer.write("┃", at: Point(x: column.x, y: column.y + thumbTop + y), style: style)
        }
    }
}
