import Canvas

enum MenuScreen {
    static func draw(_ m: MenuState, positions: [String: Int] = [:], on canvas: inout Canvas, glyphs g: GlyphSet) {
        let w = canvas.width, h = canvas.height
        canvas.fill(Rect(x: 0, y: 0, width: w, height: 1), " ", .reverse)
        canvas.text(" ClusterTutor: distributed systems, one step at a time", x: 0, y: 0, Style(bold: true, reverse: true))
        let body = Rect(x: 0, y: 1, width: w, height: h - 2)
        canvas.box(body, glyphs: g, title: "Lessons")
        let inner = body.inset(1)
        guard !m.entries.isEmpty else {
            canvas.text("No lessons found.", x: inner.x + 1, y: inner.y)
            return
        }
        // Each lesson takes two rows: title and pattern, then its summary.
        let perPage = max(1, (inner.height - 2) / 2)
        let first = max(0, min(m.selected - perPage / 2, m.entries.count - perPage))
        for (row, i) in (first..<min(m.entries.count, first + perPage)).enumerated() {
            let e = m.entries[i].document
            let y = inner.y + row * 2
            let chosen = i == m.selected
            let marker = chosen ? "\(g.selected) " : "  "
            // Finished, or where it was left (Enter offers to go back there).
            let progress = positions[e.name].map { $0 == -1 ? "\(g.check) done " : "left at step \($0) " } ?? ""
            let pattern = progress + "[\(e.patternName ?? "?")]"
            let titleWidth = inner.width - 3 - displayWidth(pattern) - 1
            let style = chosen ? Style(bold: true, reverse: true) : Style.bold
            canvas.text(marker, x: inner.x, y: y, .bold)
            canvas.text(truncate(e.title, to: titleWidth, ellipsis: g.ellipsis).padding(to: titleWidth), x: inner.x + 2, y: y, style)
            canvas.text(pattern, x: inner.maxX - displayWidth(pattern) - 1, y: y, .dim)
            canvas.text(truncate(e.summary, to: inner.width - 6, ellipsis: g.ellipsis), x: inner.x + 4, y: y + 1, .dim)
        }
        // Lessons above or below the page are announced, not silently cut off.
        if first > 0 { canvas.text(" \(g.more(below: false)) ", x: inner.maxX - 9, y: body.y, .dim) }
        if first + perPage < m.entries.count {
            canvas.text(" \(g.more(below: true, count: m.entries.count - first - perPage)) ", x: inner.maxX - 11, y: body.maxY - 1, .dim)
        }
        if let msg = m.message {
            canvas.text(truncate(msg, to: inner.width, ellipsis: g.ellipsis), x: inner.x, y: inner.maxY - 1, Style(foreground: .red, bold: true))
        }
        let keys = "\(g.arrow == "->" ? "up/down" : "↑/↓") choose  Enter open  ? help  q quit"
        canvas.text(truncate(keys, to: w, ellipsis: g.ellipsis), x: 0, y: h - 1, .dim)
    }
}

extension String {
    func padding(to width: Int) -> String {
        self + String(repeating: " ", count: max(0, width - displayWidth(self)))
    }
}
