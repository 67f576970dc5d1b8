import Canvas

/// Keys in two columns, then what the scene's glyphs mean; sized to fit an 80x24 screen.
enum HelpOverlay {
    static func draw(player: PlayerState?, on canvas: inout Canvas, glyphs g: GlyphSet) {
        let (back, forward) = g == .ascii ? ("<-", "->") : ("←", "→")
        var left: [(String, String)] = [
            ("space", "play / pause"),
            ("\(forward) n PgDn", "next step"),
            ("\(back) p PgUp", "previous step"),
            (". ,", "one event forward / back"),
            ("+ -", "faster / slower"),
            ("1-9 Tab", "select a node (0 clears)"),
            ("R", "restart this step"),
            ("g N Enter", "go to step N (0: start)"),
            (g == .ascii ? "Up Down" : "↑ ↓", "scroll the narration"),
            ("l", "event log: every line, scroll"),
        ]
        var right: [(String, String)] = [
            ("c", "crash / restart the node"),
            ("x", "isolate the node"),
            ("h", "heal the network"),
        ]
        if let p = player, p.sandbox {
            // A sandbox has no steps: only the keys that do something here.
            let stepKeys: Set<String> = ["\(forward) n PgDn", "\(back) p PgUp", "R", "g N Enter"]
            left.removeAll { stepKeys.contains($0.0) }
        }
        if let p = player {
            right += p.session.interactions.map { (String($0.key), $0.label + (p.session.interactionNeedsTarget($0.key) ? " (then a node)" : "")) }
            right += p.session.sceneKeys
            right.append(("Esc", "clear a pin or selection"))
            right.append(("m", "the lesson menu"))
        } else {
            left = [(g == .ascii ? "Up Down" : "↑ ↓", "choose a lesson"), ("Enter", "open it")]
            right = []
        }
        right.append(("q", "quit"))
        var lines: [String] = []
        for i in 0..<max(left.count, right.count) {
            let l = i < left.count ? cell(left[i]) : String(repeating: " ", count: 36)
            let r = i < right.count ? cell(right[i]) : ""
            lines.append(l + "  " + r)
        }
        if let p = player {
            lines.append("")
            lines += p.session.legend(g)
        }
        let w = min(canvas.width - 2, max(60, (lines.map(displayWidth).max() ?? 0) + 4))
        let h = min(canvas.height - 2, lines.count + 2)
        let box = Rect(x: (canvas.width - w) / 2, y: (canvas.height - h) / 2, width: w, height: h)
        canvas.fill(box)
        canvas.box(box, glyphs: g, Style(bold: true), title: "Help")
        for (i, l) in lines.prefix(h - 2).enumerated() {
            canvas.text(truncate(l, to: w - 4, ellipsis: g.ellipsis), x: box.x + 2, y: box.y + 1 + i)
        }
        let hint = " Any key closes this help. "
        canvas.text(hint, x: box.maxX - displayWidth(hint) - 2, y: box.maxY - 1, .dim)
    }

    static func cell(_ entry: (String, String)) -> String {
        let key = entry.0 + String(repeating: " ", count: max(1, 10 - displayWidth(entry.0)))
        let text = key + entry.1
        return text + String(repeating: " ", count: max(0, 36 - displayWidth(text)))
    }
}
