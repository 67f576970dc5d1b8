/// A canvas as terminal output (ANSI escape sequences) and as HTML, for recordings, handouts
/// and slides. Only what changed since `previous` is written, as the terminal does.
extension Canvas {
    /// The escape sequences that turn a terminal showing `previous` (or anything, when nil)
    /// into this canvas.
    public func ansi(since previous: Canvas?, color: Bool = true) -> String {
        var out = previous == nil ? "\u{1B}[?25l\u{1B}[0m\u{1B}[2J" : ""
        var current: Style? = nil
        for (y, from, to) in changes(since: previous) {
            var x = from
            // Never start in the middle of a wide character.
            while x > 0, self[x, y].isContinuation { x -= 1 }
            out += "\u{1B}[\(y + 1);\(x + 1)H"
            while x <= to {
                let cell = self[x, y]
                if !cell.isContinuation {
                    let style = color ? cell.style : cell.style.monochrome
                    if style != current { out += Self.sgr(style); current = style }
                    out.unicodeScalars.append(cell.scalar)
                }
                x += 1
            }
        }
        return out + "\u{1B}[0m"
    }

    static func sgr(_ s: Style) -> String {
        var codes = ["0"]
        if s.bold { codes.append("1") }
        if s.dim { codes.append("2") }
        if s.italic { codes.append("3") }
        if s.underline { codes.append("4") }
        if s.reverse { codes.append("7") }
        if let f = s.foreground { codes.append("\(30 + Int(f.rawValue))") }
        if let b = s.background { codes.append("\(40 + Int(b.rawValue))") }
        return "\u{1B}[" + codes.joined(separator: ";") + "m"
    }

    /// A `<pre>` with the canvas's colours and attributes, for a slide or a web page.
    public var html: String {
        let palette = ["#000000", "#cc3333", "#33aa33", "#bbaa22", "#3366cc", "#aa33aa", "#22aaaa", "#dddddd"]
        var out = "<meta charset=\"utf-8\">\n<pre style=\"background:#111;color:#ddd;font-family:monospace;line-height:1.2;padding:1em\">"
        for y in 0..<height {
            var run = "", style = Style.plain
            func flush() {
                guard !run.isEmpty else { return }
                var css: [String] = []
                var fg = style.foreground.map { palette[Int($0.rawValue)] }, bg = style.background.map { palette[Int($0.rawValue)] }
                if style.reverse { (fg, bg) = (bg ?? "#111", fg ?? "#ddd") }
                if let fg { css.append("color:\(fg)") }
                if let bg { css.append("background:\(bg)") }
                if style.bold { css.append("font-weight:bold") }
                if style.dim { css.append("opacity:0.6") }
                if style.underline { css.append("text-decoration:underline") }
                if style.italic { css.append("font-style:italic") }
                out += css.isEmpty ? run : "<span style=\"\(css.joined(separator: ";"))\">\(run)</span>"
                run = ""
            }
            for x in 0..<width {
                let c = self[x, y]
                if c.isContinuation { continue }
                if c.style != style { flush(); style = c.style }
                switch c.scalar {
                case "<": run += "&lt;"
                case ">": run += "&gt;"
                case "&": run += "&amp;"
                default: run.unicodeScalars.append(c.scalar)
                }
            }
            flush()
            out += "\n"
        }
        return out + "</pre>\n"
    }
}
