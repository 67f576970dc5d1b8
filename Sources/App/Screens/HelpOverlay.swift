import Canvas

enum HelpOverlay {
    static func draw(player: PlayerState?, on canvas: inout Canvas, glyphs g: GlyphSet) {
        let arrows = g == .ascii ? ("<-", "->") : ("←", "→")
        var lines = [
            "space        play / pause",
            "\(arrows.1) n PgDn    next step (first: finish this one)",
            "\(arrows.0) p PgUp    previous step, exactly as you left it",
            ".  ,         one event forward / back",
            "+  -         faster / slower",
            "1-9  Tab     select a node (0 clears)",
            "c            crash the selected node, or restart it",
            "x            isolate the selected node;  h  heal the network",
        ]
        if let p = player {
            for i in p.session.interactions {
                lines.append("\(i.key)            \(i.label)")
            }
            lines.append("Up/Down      scroll the narration;  m  back to the menu")
            lines.append("q            quit")
            lines.append("")
            lines += p.session.legend(g)
        } else {
            lines.append("q            quit")
        }
        lines.append("")
        lines.append("Any key closes this help.")
        let w = min(canvas.width - 4, max(60, (lines.map(displayWidth).max() ?? 0) + 4))
        let h = min(canvas.height - 2, lines.count + 2)
        let box = Rect(x: (canvas.width - w) / 2, y: (canvas.height - h) / 2, width: w, height: h)
        canvas.fill(box)
        canvas.box(box, glyphs: g, Style(bold: true), title: "Help")
        for (i, l) in lines.prefix(h - 2).enumerated() {
            canvas.text(truncate(l, to: w - 4, ellipsis: g.ellipsis), x: box.x + 2, y: box.y + 1 + i)
        }
    }
}
