// A box around a pane with a title; the focused pane gets heavy lines and the focused style, so focus reads
// even without colour.

/// Box drawing around an area.
public struct Border: Sendable {
    public var title: String
    /// Text at the top right (counts, scroll position).
    public var info: String
    public var focused: Bool

    public init(title: String = "", info: String = "", focused: Bool = false) {
        self.title = title
        self.info = info
        self.focused = focused
    }

    /// Draws the box and returns the inner area.
    @discardableResult
    public func render(in area: Rect, into buffer: inout ScreenBuffer, theme: Theme) -> Rect {
        guard area.width >= 2, area.height >= 2 else { return .zero }
        let style = focused ? theme[.focusedBorder] : theme[.border]
        let glyphs: (h: String, v: String, tl: String, tr: String, bl: String, br: String) =
            focused ? ("━", "┃", "┏", "┓", "┗", "┛") : ("─", "│", "╭", "╮", "╰", "╯")
        let (top, bottom) = (area.y, area.bottom - 1)
        let (left, right) = (area.x, area.right - 1)
        for x in (left + 1)..<right {
            buffer.write(glyphs.h, at: Point(x: x, y: top), style: style)
            buffer.write(glyphs.h, at: Point(x: x, y: bottom), style: style)
        }
        for y in (top + 1)..<bottom {
            buffer.write(glyphs.v, at: Point(x: left, y: y), style: style)
            buffer.write(glyphs.v, at: Point(x: right, y: y), style: style)
        }
        buffer.write(glyphs.tl, at: Point(x: left, y: top), style: style)
        buffer.write(glyphs.tr, at: Point(x: right, y: top), style: style)
        buffer.write(glyphs.bl, at: Point(x: left, y: bottom), style: style)
        buffer.write(glyphs.br, at: Point(x: right, y: bottom), style: style)
        let room = area.width - 4
        var titleEnd = left + 1
        if !title.isEmpty && room > 2 {
            let t = " " + TextFit.truncate(title, to: room - 2) + " "
            let titleStyle = focused ? theme[.title].adding(.bold) : theme[.title]
            titleEnd += buffer.write(t, at: Point(x: left + 1, y: top), style: titleStyle)
        }
        let infoRoom = right - titleEnd - 2
        if !info.isEmpty && infoRoom > 3 {
            let t = " " + TextFit.truncate(info, to: infoRoom - 2) + " "
            buffer.write(t, at: Point(x: right - DisplayWidth.of(t), y: top), style: theme[.dimText])
        }
        return area.inset(by: 1)
    }
}
