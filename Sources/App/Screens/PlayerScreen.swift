import Canvas
import Scenes
import Simulation
import Lessons

/// The lesson screen: status line, the cluster, the narration, the event log and the keys.
enum PlayerScreen {
    /// Where each part of the player goes, from the screen's size and what the scene asks for.
    struct Layout: Equatable {
        var status: Rect, cluster: Rect, narration: Rect?, log: Rect?, keys: Rect
    }

    /// Narration wider than this is hard to read; on big screens the scene gets the rest.
    static let narrationMeasure = 74

    /// `question`: a lesson question is open. It goes in the narration's column, which then
    /// runs down to the key bar (the log keeps the width under the scene), so the question sits
    /// under the narration it follows and beside the scene it asks about, covering neither.
    static func layout(_ full: Rect, needs: SceneNeeds, sandbox: Bool, question: Bool = false) -> Layout {
        let size = SizeClass(width: full.width, height: full.height)
        let (statusRow, rest) = full.splitTop(1)
        let (middle, keyRow) = rest.splitBottom(1)
        var main = middle, log: Rect?
        if needs.wantsEventLog {
            let preferred = size >= .large ? 12 : full.height >= 34 ? 10 : (full.height >= 28 ? 8 : 7)
            // The log gives way (down to one line between its borders) before the scene gets
            // fewer rows than it says it needs inside its box.
            let logHeight = min(preferred, max(3, middle.height - (needs.minHeight + 2)))
            let split = middle.splitBottom(logHeight)
            main = split.0; log = split.1
        }
        guard !sandbox else { return Layout(status: statusRow, cluster: main, narration: nil, log: log, keys: keyRow) }
        var clusterWidth = max(needs.minWidth + 2, main.width * needs.widthShare / 100)
        if needs.grows && size >= .regular { clusterWidth = max(clusterWidth, main.width - narrationMeasure) }
        clusterWidth = min(clusterWidth, main.width - 28)
        let (cluster, narration) = main.splitLeft(clusterWidth)
        if question, let l = log {
            let (left, right) = l.splitLeft(clusterWidth)
            return Layout(status: statusRow, cluster: cluster, narration: Rect(x: narration.x, y: narration.y, width: narration.width,
                                                                                 height: narration.height + right.height), log: left, keys: keyRow)
        }
        return Layout(status: statusRow, cluster: cluster, narration: narration, log: log, keys: keyRow)
    }

    /// The scene's needs, except that `l` always gets a log: a grid scene asks for none, and
    /// the key seemed to do nothing there.
    static func needs(_ p: PlayerState, _ size: SizeClass) -> SceneNeeds {
        var n = p.session.sceneNeeds(size)
        if p.logFocus { n.wantsEventLog = true }
        return n
    }

    static func draw(_ p: PlayerState, on canvas: inout Canvas, glyphs g: GlyphSet) {
        let full = canvas.bounds
        let size = SizeClass(width: full.width, height: full.height)
        let parts = layout(full, needs: needs(p, size), sandbox: p.sandbox, question: p.quiz != nil)

        drawStatus(p, in: parts.status, on: &canvas, glyphs: g)

        let clusterBox = parts.cluster
        var clusterTitle = "Cluster: \(p.session.nodeCount) node\(p.session.nodeCount == 1 ? "" : "s")"
        if let s = p.selected { clusterTitle += " · selected \(p.session.nodeName(s))" }
        canvas.box(clusterBox, glyphs: g, title: clusterTitle)
        // On the box's top border, the way back to what P put away.
        if p.hasExperiment { canvas.text(p.showingExperiment ? " P: the cluster " : " P: the trials ", x: clusterBox.maxX - 18, y: clusterBox.y, .dim) }
        if p.showingExperiment, p.hasExperiment {
            ExperimentPanel.draw(p, in: clusterBox.inset(1), on: &canvas, glyphs: g)
        } else {
            p.session.drawScene(in: clusterBox.inset(1), on: &canvas, SceneContext(glyphs: g, selected: p.selected, sizeClass: size, keysLive: p.quiz == nil))
        }
        // Faults go on the box's bottom edge, so they never take room from (and reshuffle) the nodes.
        let notes = p.session.networkNotes(g)
        if !notes.isEmpty {
            let text = " " + truncate(notes.joined(separator: "; "), to: clusterBox.width - 6, ellipsis: g.ellipsis) + " "
            canvas.text(text, x: clusterBox.x + 2, y: clusterBox.maxY - 1, Style(foreground: .magenta, bold: true))
        }

        // With a question open, the narration gets the rows above the question's box, so its
        // "more" mark shows and PgUp/PgDn scroll what is hidden.
        var scrolling = (below: false, scrolled: false)
        if let narrationBox = narrationBox(p, full, parts, glyphs: g) {
            scrolling = drawNarration(p, in: narrationBox, on: &canvas, glyphs: g)
        }

        // A selected node's whole state takes the event log's place (or, with no log, the foot
        // of the scene): the card only has room for a summary.
        let details = p.selected.map { p.session.nodeDetails($0, width: (parts.log ?? clusterBox).width - 4, glyphs: g) } ?? []
        if let s = p.selected, !details.isEmpty {
            let box = parts.log ?? clusterBox.splitBottom(min(clusterBox.height / 2, details.count + 2)).1
            canvas.fill(box)
            canvas.box(box, glyphs: g, Style(bold: true), title: "\(p.session.nodeName(s)) in full (0 or Esc clears)")
            let inner = box.inset(1)
            var y = inner.y
            for l in details {
                for part in wrap(l, width: inner.width - 2) where y < inner.maxY {
                    canvas.line(part, x: inner.x + 1, y: y, maxWidth: inner.width - 2)
                    y += 1
                }
            }
        } else if let logBox = parts.log {
            let title = p.logFocus ? (p.logScroll > 0 ? "Events: every line, \(p.logScroll) back (↑/↓, l returns)" : "Events: every line (↑/↓ scroll, l returns)")
                                   : "Events"
            canvas.box(logBox, glyphs: g, p.logFocus ? Style(bold: true) : .plain, title: g.text(title))
            let inner = logBox.inset(1)
            // Enough history to fold checks and to scroll back through.
            EventLog.draw(p.session.journal(last: p.logFocus ? 2_000 : 400), in: Rect(x: inner.x + 1, y: inner.y, width: inner.width - 1, height: inner.height),
                          on: &canvas, glyphs: g, folded: !p.logFocus, scroll: p.logScroll)
        }

        drawKeys(p, in: parts.keys, narration: scrolling, on: &canvas, glyphs: g)
    }

    static func drawStatus(_ p: PlayerState, in r: Rect, on canvas: inout Canvas, glyphs g: GlyphSet) {
        let bar = Style(bold: true, reverse: true)
        canvas.fill(r, " ", .reverse)
        let state: String
        switch p.phase {
        case .playing: state = "\(g.play) playing"
        case .runningOn: state = p.sandbox ? "\(g.play) running" : "\(g.play) running on (off script)"
        case .skipping: state = "\(g.play)\(g.play) skipping"
        case .paused: state = "\(g.pause) paused"
        case .pausedOffScript: state = "\(g.pause) paused (off script)"
        case .stepDone: state = p.session.step == 0 ? "\(g.pause) introduction" : "\(g.pause) step done"
        case .lessonDone: state = "\(g.pause) lesson done"
        case .question: state = "? question"
        case .choosingStep: state = "go to step: \(p.goTo ?? "")_"
        }
        var right = ""
        if !p.sandbox { right += "step \(p.session.step)/\(p.session.stepCount) | " }
        // While playing, the rate pacing chose; when stopped, what the speed keys have set.
        // Padded while playing: pacing moves the rate from frame to frame (x1, x1/20, x1/11), and
        // the title beside it should not jump with it.
        let rate = p.playing ? p.effectiveRate.map { r in let l = Pacing.label(r); return String(repeating: " ", count: max(0, 6 - l.count)) + l } : nil
        right += "t=\(SimDuration.format(p.session.now)) | \(rate ?? Speed.paceLabel(p.speed)) | \(state) "
        // Said once: the state already reads "off script" when paused or running on.
        if p.session.intervened && ![.pausedOffScript, .runningOn].contains(p.phase) { right = "changed by you | " + right }
        let leftWidth = max(0, r.width - displayWidth(right) - 1)
        canvas.text(truncate(" " + p.session.title, to: leftWidth, ellipsis: g.ellipsis), x: r.x, y: r.y, bar)
        canvas.text(right, x: r.maxX - displayWidth(right), y: r.y, bar)
    }

    /// The narration box's title and its text for a box `width` wide: what `drawNarration`
    /// shows, and what `questionArea` must leave room for.
    static func narration(_ p: PlayerState, width: Int, glyphs g: GlyphSet) -> (title: String, lines: [StyledLine]) {
        let s = p.session
        var title = g.text(s.step == 0 ? "Introduction" : "Step \(s.step)/\(s.stepCount): \(s.stepTitle ?? "")")
        let textWidth = width - 4
        var lines: [StyledLine] = []
        // A title too long for the border goes, whole, at the top of the text.
        if displayWidth(title) + 4 > width, s.step > 0 {
            title = "Step \(s.step)/\(s.stepCount)"
            lines = wrap([Span(g.text(s.stepTitle ?? ""), .bold)], width: textWidth) + [[]]
        }
        lines += Markdown.render(s.narration, width: textWidth, glyphs: g)
        if !s.failures.isEmpty {
            lines.append([])
            for f in s.failures {
                lines += wrap([Span(g.text("\(g.cross) line \(f.line): \(f.source) (\(f.message))"), Style(foreground: .red, bold: true))], width: textWidth)
            }
        }
        return (title, lines)
    }

    /// Returns whether lines are hidden below, and whether it is scrolled (for the key bar).
    @discardableResult
    static func drawNarration(_ p: PlayerState, in r: Rect, on canvas: inout Canvas, glyphs g: GlyphSet) -> (below: Bool, scrolled: Bool) {
        let inner = r.inset(1)
        let textWidth = inner.width - 2
        var (title, lines) = narration(p, width: r.width, glyphs: g)
        canvas.box(r, glyphs: g, title: title)
        // The hint says what the keys do next; while a question is open, the key bar does.
        if p.quiz == nil {
            lines.append([])
            lines += wrap([Span(g.text(hint(p, glyphs: g)), .dim)], width: textWidth)
        }
        let visible = inner.height
        let maxScroll = max(0, lines.count - visible)
        let offset = min(p.scroll, maxScroll)
        for (row, line) in lines.dropFirst(offset).prefix(visible).enumerated() {
            canvas.line(line, x: inner.x + 1, y: inner.y + row, maxWidth: textWidth)
        }
        if offset < maxScroll {
            canvas.text(g.more(below: true), x: inner.maxX - 7, y: r.maxY - 1, .dim)
        }
        if offset > 0 {
            // On the top border's right end, as "more" sits on the bottom one; inside the text
            // (over its last letter) only when the title leaves no room on the border.
            let mark = " \(g.more(below: false)) "
            if displayWidth(title) + 4 + displayWidth(mark) + 2 <= r.width {
                canvas.text(mark, x: r.maxX - 2 - displayWidth(mark), y: r.y, .dim)
            } else {
                canvas.text(g == .ascii ? " ^" : " ↑", x: inner.maxX - 2, y: inner.y, .dim)
            }
        }
        return (offset < maxScroll, offset > 0)
    }

    static func hint(_ p: PlayerState, glyphs g: GlyphSet) -> String {
        let s = p.session
        let (back, forward) = g == .ascii ? ("<-", "->") : ("←", "→")
        if s.step == 0 { return "Press \(forward) (or n, PgDn) to begin." }
        if !s.scriptDone {
            return p.playing ? "Watching\(g.ellipsis) space pauses, \(forward) skips to the end of the step."
                : "Paused in this step: space plays on, \(forward) skips to its end."
        }
        if s.step < s.stepCount { return "\(forward) next step, \(back) previous, space lets the cluster run on." }
        let own = s.interactions.map { String($0.key) }
        return "End of the lesson. Poke the cluster (\((["c", "x", "h"] + own).joined(separator: ", "))) or press q."
    }

    static func drawKeys(_ p: PlayerState, in r: Rect, narration: (below: Bool, scrolled: Bool) = (false, false),
                         on canvas: inout Canvas, glyphs g: GlyphSet) {
        var x = r.x
        // Help and quit are always shown, at the right; the rest fill what room is left.
        let fixed = "? help  q quit"
        let offer = p.resumeAt.map { "You left this lesson at step \($0): Enter goes back there" }
        if let status = p.status ?? offer {
            let msg = truncate(" " + g.text(status) + " ", to: r.width - displayWidth(fixed) - 2, ellipsis: g.ellipsis)
            x += canvas.text(msg, x: x, y: r.y, Style(foreground: .yellow, bold: true, reverse: true)) + 1
        }
        let arrows = g == .ascii ? ("<-", "->") : ("←", "→")
        let limit = r.maxX - displayWidth(fixed) - 1
        canvas.text("?", x: r.maxX - displayWidth(fixed), y: r.y, .bold)
        canvas.text("help", x: r.maxX - displayWidth(fixed) + 2, y: r.y, .dim)
        canvas.text("q", x: r.maxX - 6, y: r.y, .bold)
        canvas.text("quit", x: r.maxX - 4, y: r.y, .dim)
        var keys: [(String, String)]
        if let q = p.quiz, q.index < p.session.quizzes.count {
            keys = questionKeys(q, p.session.quizzes[q.index], narration: narration, glyphs: g)
        } else {
            keys = [("space", "play"), ("\(arrows.0)/\(arrows.1)", "step"), (",/.", "event"),
                    ("1-9", "node"), ("c", "crash"), ("x", "isolate"), ("h", "heal")]
            keys += p.session.interactions.map { (String($0.key), $0.label) }
            // The scene's own keys come early: they are how its picture is explored.
            keys.insert(contentsOf: p.session.sceneKeys, at: min(3, keys.count))
            keys.append(("+/-", "speed"))
            if p.sandbox { keys.remove(at: 1) }
        }
        for (k, label) in keys {
            let width = displayWidth(k) + 1 + displayWidth(label)
            guard x + width <= limit else { break }
            canvas.text(k, x: x, y: r.y, .bold)
            canvas.text(label, x: x + displayWidth(k) + 1, y: r.y, .dim)
            x += width + 2
        }
    }
}
