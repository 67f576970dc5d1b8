import Canvas

/// Keys in two columns (one, when two do not fit), then what the scene's glyphs mean, wrapped
/// to the box; sized to fit an 80x24 screen.
enum HelpOverlay {
    static func draw(player: PlayerState?, presenting: Bool = false, on canvas: inout Canvas, glyphs g: GlyphSet) {
        let (back, forward) = g == .ascii ? ("<-", "->") : ("←", "→")
        if presenting {
            let keys: [(String, String)] = [
                ("PgDn \(forward) space", "next: play the step, finish it, go on; reveal an answer"),
                ("PgUp \(back)", "back a step (or hide the answer again)"),
                (". F5 b", "blank the screen (b not in a question); any click undoes it"),
                ("1-9", "a node in full in the band (again, 0 or Esc: the text)"),
                (g == .ascii ? "Down Up" : "↓ ↑", "scroll the band or the question's box"),
                ("[ ] Enter", "on a diagram: select an event; Enter right after pins it"),
                ("g N Enter", "go to step N"),
                ("R", "this step again from its start"),
                ("a b c \(g.ellipsis)", "a question: count a raised hand (A B C take one back)"),
                ("digits Enter", "a number question: add the class's guess"),
                ("t", "a question: start / stop 30 s of thinking time"),
                ("P", "a step's experiment: its trials, or the cluster"),
                ("q", "quit"),
            ]
            let k = (keys.map { displayWidth($0.0) }.max() ?? 0) + 2
            let lines = keys.map { $0.0 + String(repeating: " ", count: k - displayWidth($0.0)) + $0.1 }
            let w = min(canvas.width - 2, 90), h = min(canvas.height - 2, lines.count + 2)
            let box = Rect(x: (canvas.width - w) / 2, y: (canvas.height - h) / 2, width: w, height: h)
            canvas.fill(box)
            canvas.box(box, glyphs: g, Style(bold: true), title: "Presenting: keys (any key closes)")
            for (i, l) in lines.prefix(h - 2).enumerated() { canvas.text(truncate(l, to: w - 4, ellipsis: g.ellipsis), x: box.x + 2, y: box.y + 1 + i) }
            return
        }
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
            ("l", "the event log in full"),
        ]
        var right: [(String, String)] = [
            ("c", "crash / restart the node"),
            ("x", "isolate the node"),
            ("h", "heal the network"),
        ]
        if let p = player, p.sandbox {
            // A sandbox has no steps and no narration: only the keys that do something here.
            let absent: Set<String> = ["\(forward) n PgDn", "\(back) p PgUp", "R", "g N Enter", g == .ascii ? "Up Down" : "↑ ↓"]
            left.removeAll { absent.contains($0.0) }
        }
        if let p = player {
            right += p.session.interactions.map { (String($0.key), $0.label + (p.session.interactionNeedsTarget($0.key) ? " (then a node)" : "")) }
            right += p.session.sceneKeys
            if p.hasExperiment { right.append(("P", "the experiment's trials / the cluster")) }
            right.append(("Esc", "clear pin / selection"))
            if !p.sandbox { right += [("m", "the lesson menu"), ("a-z", "answer a question; PgDn: read on")] }
        } else {
            left = [(g == .ascii ? "Up Down" : "↑ ↓", "choose a lesson"), ("Enter", "open it")]
            right = []
        }
        right.append(("q", "quit"))

        let w = min(canvas.width - 2, 100)
        let textWidth = w - 4
        // Each column as wide as its own keys and words need.
        func widths(_ col: [(String, String)]) -> (key: Int, cell: Int) {
            let k = (col.map { displayWidth($0.0) }.max() ?? 0) + 2
            return (k, k + (col.map { displayWidth($0.1) }.max() ?? 0))
        }
        func cell(_ e: (String, String), _ keyWidth: Int) -> String {
            e.0 + String(repeating: " ", count: max(1, keyWidth - displayWidth(e.0))) + e.1
        }
        let (lk, lw) = widths(left), (rk, rw) = widths(right)
        var lines: [String] = []
        if lw + 2 + rw <= textWidth {
            for i in 0..<max(left.count, right.count) {
                let l = i < left.count ? cell(left[i], lk) : ""
                let r = i < right.count ? cell(right[i], rk) : ""
                lines.append(l + String(repeating: " ", count: max(2, lw + 2 - displayWidth(l))) + r)
            }
        } else {
            let (k, _) = widths(left + right)
            lines = (left + right).map { cell($0, k) }
        }
        if let p = player {
            lines.append("")
            for l in p.session.legend(g).map(g.text) {
                lines += wrapIfWider([Span(l)], width: textWidth).map { $0.map(\.text).joined() }
            }
        }
        let h = min(canvas.height - 2, lines.count + 2)
        let box = Rect(x: (canvas.width - w) / 2, y: (canvas.height - h) / 2, width: w, height: h)
        // A blank column either side, so the borders of the screen beneath do not run into the
        // help's own ("┌┌ Help" at 80 columns).
        canvas.fill(Rect(x: box.x - 1, y: box.y, width: box.width + 2, height: box.height))   // (clipped to the canvas)
        canvas.box(box, glyphs: g, Style(bold: true), title: "Help")
        let rows = h - 2
        for (i, l) in lines.prefix(rows).enumerated() {
            canvas.text(truncate(l, to: textWidth, ellipsis: g.ellipsis), x: box.x + 2, y: box.y + 1 + i)
        }
        let hint = lines.count > rows ? " \(lines.count - rows) more lines: a larger window shows them; any key closes " : " Any key closes this help. "
        canvas.text(truncate(hint, to: w - 4, ellipsis: g.ellipsis), x: max(box.x + 1, box.maxX - displayWidth(hint) - 2), y: box.maxY - 1, .dim)
    }
}
