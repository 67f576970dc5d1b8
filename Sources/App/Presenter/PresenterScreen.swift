import Canvas
import Quiz
import Scenes
import Simulation

/// What the room sees: the step's number and title, the scene as large as the screen allows,
/// and the narration as a short band of plain text. No key bar, no event log, no author checks.
/// A class question takes the band's place (and more), under the scene it asks about.
enum PresenterScreen {
    /// Smallest screen a projector with a big font leaves: the presenter works down to it.
    static let minimumWidth = 60, minimumHeight = 18

    struct Layout: Equatable { var heading: Rect, scene: Rect, band: Rect }

    /// `wanted`: rows the band's text asks for (narration or question); it gets them up to
    /// two fifths of the screen, so the scene keeps most of it.
    /// `sceneFull`: rows that show the whole scene; the band gives up rows beyond what its text
    /// needs to reach it (membership's matrix at 60x18 was one row short, under narration that
    /// pointed at it).
    static func layout(_ full: Rect, question: Bool, wanted: Int = 0, sceneFull: Int? = nil) -> Layout {
        let size = SizeClass(width: full.width, height: full.height)
        // A larger room gets a larger heading: a rule under it from regular screens up.
        let headingRows = size >= .regular ? 2 : 1
        let least = size >= .large ? 9 : size >= .regular ? 7 : size >= .compact ? 6 : 5
        var bandRows = min(max(least, wanted), full.height * 2 / 5 + (question ? 1 : 0))
        if let f = sceneFull, full.height - headingRows - bandRows < f {
            bandRows = max(min(bandRows, wanted), full.height - headingRows - f)
        }
        let (heading, rest) = full.splitTop(headingRows)
        let (scene, band) = rest.splitBottom(min(bandRows, rest.height - 6))
        return Layout(heading: heading, scene: scene, band: band)
    }

    /// The narration's lines and the rows its band shows them in, on a `width` x `height`
    /// screen with no question open and no node shown in full (as `draw` lays them out).
    static func narrationPage(_ s: PresenterState, width: Int, height: Int, glyphs g: GlyphSet) -> (lines: Int, rows: Int) {
        let full = Rect(x: 0, y: 0, width: width, height: height)
        let size = SizeClass(width: width, height: height)
        let wanted = Markdown.render(s.player.session.narration, width: bandWidth(width, size), glyphs: g).count + 1
        let band = layout(full, question: false, wanted: wanted, sceneFull: s.player.session.sceneNeeds(size).fullHeight).band
        return (Markdown.render(s.player.session.narration, width: bandWidth(band.width, size) - 2, glyphs: g).count, band.height - 1)
    }

    /// The band's text column on a row `width` wide: a margin (wider on larger screens) and a
    /// readable measure at most.
    static func bandWidth(_ width: Int, _ size: SizeClass) -> Int {
        min(width - 2 * (size >= .regular ? 4 : 1), size >= .large ? 110 : 96)
    }

    static func draw(_ s: PresenterState, on canvas: inout Canvas, glyphs g: GlyphSet) {
        guard !s.blanked else { return }
        let full = canvas.bounds
        let size = SizeClass(width: full.width, height: full.height)
        let p = s.player
        let bandWidth = Self.bandWidth(full.width, size)
        let wanted: Int
        // A highlighted node's whole state takes the narration's place, as it takes the event
        // log's in the player: "look at n3's log" needs the log on the wall, not only a mark.
        // During a question too: "whose timer is shortest?" is read off a node's own numbers,
        // and 0 or Esc brings the question back.
        let details = detailLines(s, width: bandWidth - 2, glyphs: g)
        if !details.isEmpty {
            wanted = details.count + 1
        } else if let q = s.question, q.index < p.session.quizzes.count {
            wanted = questionLines(q, p.session.quizzes[q.index], width: min(full.width, size >= .large ? 120 : 100) - 4, glyphs: g).count + 2
        } else {
            wanted = Markdown.render(p.session.narration, width: bandWidth, glyphs: g).count + 1
        }
        let parts = layout(full, question: s.question != nil, wanted: wanted, sceneFull: p.session.sceneNeeds(size).fullHeight)
        // For the teacher, on the heading's row: what the next click does, and any message.
        let state = p.goTo.map { "go to step: \($0)_" } ?? s.status
            ?? (s.question != nil ? nil : s.pendingQuestion != nil ? "next: the question" : p.playing ? "\(g.play)" : "\(g.pause)")
        let stateText = state.map { " " + g.text($0) + " " }
        drawHeading(s, in: parts.heading, size: size, reserve: (stateText.map(displayWidth) ?? 0) + (size >= .regular ? 2 : 0),
                    on: &canvas, glyphs: g)
        // Larger screens leave a margin, as a slide does.
        let margin = size >= .regular ? 2 : 0
        let sceneRect = Rect(x: parts.scene.x + margin, y: parts.scene.y, width: parts.scene.width - 2 * margin, height: parts.scene.height)
        if p.showingExperiment, p.hasExperiment {
            ExperimentPanel.draw(p, in: sceneRect, on: &canvas, glyphs: g)
        } else {
            p.session.drawScene(in: sceneRect, on: &canvas, SceneContext(glyphs: g, selected: p.selected, sizeClass: size, keysLive: false))
        }
        if let q = s.question, q.index < p.session.quizzes.count, details.isEmpty {
            drawQuestion(q, p.session.quizzes[q.index], count: p.session.quizzes.count, in: parts.band, size: size, on: &canvas, glyphs: g)
        } else {
            drawBand(s, in: parts.band, size: size, on: &canvas, glyphs: g, details: details)
        }
        if let state, let text = stateText {
            canvas.text(text, x: max(full.x, full.maxX - displayWidth(text) - (size >= .regular ? 2 : 0)), y: full.y,
                        state.count > 2 ? Style(bold: true, reverse: true) : .dim, maxWidth: full.width)
        }
    }

    /// `reserve`: columns kept free at the row's end for the teacher's mark or message.
    static func drawHeading(_ s: PresenterState, in r: Rect, size: SizeClass, reserve: Int = 4, on canvas: inout Canvas, glyphs g: GlyphSet) {
        let session = s.player.session
        let title = session.step == 0 ? session.title : (session.stepTitle ?? "")
        let number = session.step == 0 ? "" : "\(session.step)/\(session.stepCount)  "
        var x = r.x + (size >= .regular ? 2 : 0)
        x += canvas.text(number, x: x, y: r.y, Style(foreground: .cyan, bold: true))
        // Capitals on big screens: the nearest a terminal has to a larger heading.
        let text = size >= .large ? title.uppercased() : title
        // Cut with an ellipsis, clear of the teacher's mark or message at the row's end.
        // (A long message may still cover the title's end: the title keeps half the row.)
        let room = max(0, r.maxX - x - min(reserve, r.width / 2) - 1)
        canvas.text(truncate(g.text(text), to: room, ellipsis: g.ellipsis), x: x, y: r.y, Style(bold: true), maxWidth: room)
        if r.height > 1 {
            canvas.text(String(repeating: g.horizontal, count: max(0, r.width - 4)), x: r.x + 2, y: r.y + 1, .dim)
        }
    }

    /// The highlighted node's whole state, wrapped to `width` (none when no node is highlighted
    /// or its pattern has nothing beyond the card).
    static func detailLines(_ s: PresenterState, width: Int, glyphs g: GlyphSet) -> [StyledLine] {
        guard let node = s.player.selected, width > 10 else { return [] }
        return s.player.session.nodeDetails(node, width: width, glyphs: g).flatMap { wrap($0, width: width) }
    }

    /// The narration, as much as the band holds, plain: no hints, no checks. With `details`
    /// (a highlighted node's), those instead, under a rule that names the node.
    static func drawBand(_ s: PresenterState, in r: Rect, size: SizeClass, on canvas: inout Canvas, glyphs g: GlyphSet,
                         details: [StyledLine] = []) {
        let width = bandWidth(r.width, size)
        guard width > 10, r.height > 1 else { return }
        let x = r.x + (r.width - width) / 2
        canvas.text(String(repeating: g.horizontal, count: r.width - 2), x: r.x + 1, y: r.y, .dim)
        if let node = s.player.selected, !details.isEmpty {
            let back = s.question == nil ? "the text" : "the question"
            let title = g.text(" \(s.player.session.nodeName(node)) in full (0 or Esc: \(back) again) ")
            canvas.text(title, x: x, y: r.y, Style(bold: true), maxWidth: width)
        }
        // Two columns kept free at the right for the scroll marks, so they never cover a letter.
        let lines = details.isEmpty ? Markdown.render(s.player.session.narration, width: width - 2, glyphs: g) : details
        let rows = r.height - 1
        let offset = min(s.scroll, max(0, lines.count - rows))
        for (k, line) in lines.dropFirst(offset).prefix(rows).enumerated() { canvas.line(line, x: x, y: r.y + 1 + k, maxWidth: width) }
        // More below (↓ scrolls the band) or above.
        if lines.count - offset > rows { canvas.text(g == .ascii ? "v" : "↓", x: x + width - 1, y: r.maxY - 1, .dim) }
        if offset > 0 { canvas.text(g == .ascii ? "^" : "↑", x: x + width - 1, y: r.y + 1, .dim) }
    }

    static func drawQuestion(_ q: ClassQuestion, _ block: LessonQuiz, count: Int, in r: Rect, size: SizeClass, on canvas: inout Canvas, glyphs g: GlyphSet) {
        let width = min(r.width, size >= .large ? 120 : 100)
        let box = Rect(x: r.x + (r.width - width) / 2, y: r.y, width: width, height: r.height)
        canvas.fill(box)
        var title = count > 1 ? "Question \(q.index + 1) of \(count) for the class" : "Question for the class"
        if let left = q.countdown, !q.revealed {
            let secs = Int((left + 999_999) / 1_000_000)
            title += left > 0 ? "  \(secs / 60):\(secs % 60 < 10 ? "0" : "")\(secs % 60)" : "  time is up"
        }
        canvas.box(box, glyphs: g, Style(bold: true), title: g.text(title))
        let inner = box.inset(1)
        // Long choices wrap; when that does not fit, each is cut to one row instead, so no
        // choice (and none of its raised hands) is missing from the box.
        var lines = questionLines(q, block, width: inner.width - 2, glyphs: g)
        if lines.count > inner.height { lines = questionLines(q, block, width: inner.width - 2, glyphs: g, whole: false) }
        // Revealed on a small screen: the verdict and the explanation matter more than the
        // choices that were wrong.
        if lines.count > inner.height, q.revealed, case .choice(let right) = block.answer {
            lines = questionLines(q, block, width: inner.width - 2, glyphs: g, only: right)
            if lines.count > inner.height { lines = questionLines(q, block, width: inner.width - 2, glyphs: g, only: right, whole: false) }
        }
        // ↓ and ↑ scroll what the box cannot hold (the explanation, on a projector's 60x18).
        let offset = min(q.scroll, max(0, lines.count - inner.height))
        for (k, l) in lines.dropFirst(offset).prefix(inner.height).enumerated() { canvas.line(l, x: inner.x + 1, y: inner.y + k, maxWidth: inner.width - 2) }
        if lines.count - offset > inner.height { canvas.text(" \(g.more(below: true)) ", x: box.x + 2, y: box.maxY - 1, .dim) }
        if offset > 0 { canvas.text(g == .ascii ? " ^ " : " ↑ ", x: box.maxX - 5, y: box.maxY - 1, .dim) }
    }

    /// The question's lines for a box `textWidth` wide: short choices side by side (so the
    /// scene above keeps its room), each with its raised hands as a bar once any are counted.
    /// `whole`: a choice on a row of its own wraps; otherwise it is cut to the row.
    static func questionLines(_ q: ClassQuestion, _ block: LessonQuiz, width textWidth: Int, glyphs g: GlyphSet, only: Int? = nil,
                              whole: Bool = true) -> [StyledLine] {
        var lines: [StyledLine] = wrap([Span(g.text(block.question), .bold)], width: textWidth)
        lines.append([])
        let right: Int? = if case .choice(let k) = block.answer { k } else { nil }
        if !block.choices.isEmpty {
            let most = max(1, q.hands.max() ?? 0)
            let counted = q.hands.contains { $0 > 0 }
            let labels = block.choices.enumerated().map { g.text("\(LessonQuiz.letter($0.offset))) \($0.element)") }
            // Bars as long as still keep every choice on one row (the scene above keeps its
            // room); when even bare counts do not fit, a row per choice with long bars.
            let short = labels.allSatisfy { displayWidth($0) <= 24 }
            let n = block.choices.count
            let longest = (labels.map { displayWidth($0) }.max() ?? 4) + 1
            // Side by side, a label gets at most half the line; a row to itself, all the line
            // but the bar's room, and what is still longer wraps (it was cut with "…": the
            // class could not read the choices it was asked to choose between).
            let labelWidth = short ? min(textWidth / 2, longest) : min(longest, textWidth - 2 - (counted ? 14 : 0))
            let barRoom = !counted ? 0 : [8, 4, 2, 0].first { 2 + labelWidth + $0 + 4 <= textWidth / max(1, n) } ?? 8
            let cellWidth = 2 + labelWidth + (counted ? barRoom + 4 : 2)
            let columns = short ? max(1, min(n, textWidth / cellWidth)) : 1
            let wideBar = columns == 1 && counted ? max(1, textWidth - labelWidth - 10) : barRoom
            var row: StyledLine = []
            for (k, label) in labels.enumerated() where only == nil || k == only {
                var style: Style = .plain
                if q.revealed { style = k == right ? Style(foreground: .green, bold: true) : .dim }
                let mark = q.revealed && k == right ? String(g.check) : " "
                // A label longer than its width: its first line here, the rest under it.
                let parts = columns == 1 && whole ? wrap([Span(label, style)], width: labelWidth, indent: 3) : [[Span(truncate(label, to: labelWidth, ellipsis: g.ellipsis), style)]]
                let first = parts[0].map(\.text).joined()
                var cell: StyledLine = [Span("\(mark) ", style), Span(first.padding(to: labelWidth), style)]
                let rest = parts.dropFirst().map { [Span("  ", style)] + $0 }
                if counted {
                    let bar = String(repeating: g.barFull, count: q.hands[k] * wideBar / most)
                    cell += [Span(bar, q.revealed && k == right ? Style(foreground: .green, bold: true) : Style(foreground: .cyan)),
                             Span(String(repeating: " ", count: max(0, wideBar - bar.count))),
                             Span(" \(q.hands[k])".padding(to: 4), .bold)]
                } else if columns > 1 {
                    cell.append(Span("  "))
                }
                row += cell
                if columns == 1 || (k + 1) % columns == 0 || k == labels.count - 1 || only != nil {
                    lines += wrapIfWider(row, width: textWidth, indent: 5)
                    lines += rest
                    row = []
                }
            }
        } else if case let .number(truth, dimension, _) = block.answer {
            lines += guessLines(q, truth: truth, dimension, revealed: q.revealed, width: textWidth, glyphs: g)
        }
        if q.revealed {
            if case .number(let truth, let d, _) = block.answer {
                lines.append([Span(g.text("\(g.check) the answer: \(Format.quantity(truth, d, ascii: g == .ascii))"), Style(foreground: .green, bold: true))])
            }
            if !block.explanation.isEmpty { lines.append([]); lines += wrap(Markdown.inline(g.text(block.explanation)), width: textWidth) }
        }
        if let p = q.problem { lines += wrap([Span(p, Style(foreground: .red, bold: true))], width: textWidth) }
        return lines
    }

    static func inner0(box r: Rect, width: Int) -> Rect { Rect(x: r.x, y: r.y, width: width, height: r.height).inset(1) }

    /// The class's guesses on a line from the smallest to the largest (and the answer, once
    /// revealed): the spread against the truth.
    static func guessLines(_ q: ClassQuestion, truth: Double, _ d: Dimension, revealed: Bool, width: Int, glyphs g: GlyphSet) -> [StyledLine] {
        var lines: [StyledLine] = []
        let fmt = { (v: Double) in Format.quantity(v, d, ascii: g == .ascii) }
        if !q.typing.isEmpty || q.guesses.isEmpty {
            lines.append([Span("guess: ", .dim), Span(q.typing, .bold), Span("_", .dim)])
        }
        guard !q.guesses.isEmpty else { return lines }
        let sorted = q.guesses.sorted()
        let median = sorted[sorted.count / 2]
        lines.append([Span("\(sorted.count) guess\(sorted.count == 1 ? "" : "es"): smallest \(fmt(sorted.first!)), median \(fmt(median)), largest \(fmt(sorted.last!))")])
        var lo = sorted.first!, hi = sorted.last!
        if revealed { lo = min(lo, truth); hi = max(hi, truth) }
        let span = max(hi - lo, abs(hi) * 1e-9, 1e-12)
        let w = max(10, width - 2)
        var cells = Array(repeating: g.horizontal, count: w)
        var styles = Array(repeating: Style.dim, count: w)
        func col(_ v: Double) -> Int { min(w - 1, max(0, Int(((v - lo) / span * Double(w - 1)).rounded()))) }
        for v in sorted { let c = col(v); cells[c] = g.bullet; styles[c] = Style(foreground: .cyan, bold: true) }
        if revealed { let c = col(truth); cells[c] = g == .ascii ? "^" : "▲"; styles[c] = Style(foreground: .green, bold: true) }
        lines.append(zip(cells, styles).map { Span(String($0), $1) })
        return lines
    }
}
