import Canvas
import Simulation

/// A node as a small card: a title (its name), a role line with a glyph, detail lines, and an
/// optional bar (a timer running down, say).
public struct NodeCard: Sendable {
    public var title: String
    public var glyph: Character
    public var role: String
    public var style: Style
    public var details: [String]
    /// The details squeezed onto one line for smaller cards, most readable first; a card shows
    /// the first that fits.
    public var shortForms: [String]
    /// 0…1, drawn as a bar; nil for none.
    public var bar: Double?
    public var barLabel: String
    /// Lines only a large card has room for (exact timer values, votes): shown when the screen
    /// is big enough, so big screens show more rather than the same in more space.
    public var moreDetails: [String]
    public init(title: String, glyph: Character, role: String, style: Style, details: [String], shortForms: [String],
                bar: Double?, barLabel: String = "", moreDetails: [String] = []) {
        self.title = title; self.glyph = glyph; self.role = role; self.style = style
        self.details = details; self.shortForms = shortForms; self.bar = bar; self.barLabel = barLabel
        self.moreDetails = moreDetails
    }
}

extension NodeCard {
    func short(fitting width: Int) -> String {
        shortForms.first { displayWidth($0) <= width } ?? shortForms.last ?? ""
    }
}

/// Something travelling from one node to another, `progress` of the way there (0…1).
public struct MessageMark: Sendable {
    public var from: NodeID, to: NodeID
    public var progress: Double
    public var label: String
    public var style: Style
    public init(from: NodeID, to: NodeID, progress: Double, label: String, style: Style) {
        self.from = from; self.to = to; self.progress = progress; self.label = label; self.style = style
    }

    /// A message `e` in flight at `now`, labelled and styled by its pattern, with its fate
    /// shown: one that will reach a crashed node is marked lost on the way in; one the network
    /// loses dies half way and is marked in its last stretch, so the loss is seen.
    public init<M>(_ e: Envelope<M>, now: SimTime, label: String, style: Style, receiverDown: Bool, glyphs g: GlyphSet) {
        var progress = e.arrivesAt > e.sentAt ? Double(now - e.sentAt) / Double(e.arrivesAt - e.sentAt) : 1
        var label = label, style = style
        if receiverDown {
            if progress > 0.5 { label += String(g.lostMessage); style = Style(foreground: .red, bold: true) }
        } else if e.lostBecause != nil {
            progress *= 0.5
            if progress > 0.3 { label += String(g.lostMessage); style = Style(foreground: .red, bold: true) }
        }
        self.init(from: e.from, to: e.to, progress: progress, label: label, style: style)
    }
}

/// Nodes placed around an ellipse, messages drawn as labels moving along the chord between
/// sender and receiver. Shared by every pattern whose picture is "a cluster of peers".
public enum RingView {
    /// Card size for `count` nodes in `r`: full cards when they fit, compact ones when not.
    public struct Layout: Sendable {
        public var card: (w: Int, h: Int)
        public var centres: [(x: Int, y: Int)]
    }

    /// Card sizes from most to least detailed: large (every detail line and the extra ones, on
    /// big screens), full (every detail line), medium (the short line), compact (glyph and short
    /// line in a small box) and tiny (one unboxed line).
    static func sizes(detailLines: Int, extraLines: Int = 0, large: Bool = false) -> [(w: Int, h: Int)] {
        let normal: [(w: Int, h: Int)] = [(14, 3 + detailLines + 1), (12, 5), (11, 3), (12, 1)]
        return large && extraLines > 0 ? [(20, 3 + detailLines + extraLines + 1)] + normal : normal
    }

    /// The largest cards that fit without overlapping: on a ring if possible (it reads as
    /// "peers"), else in a grid. Big clusters on small screens get small cards, never a mess;
    /// on big screens (`large`) cards grow to show their extra lines.
    public static func layout(count: Int, in r: Rect, detailLines: Int, extraLines: Int = 0, large: Bool = false) -> Layout {
        // A ring first, even of smaller cards: the space between cards on a ring is where
        // messages are seen travelling; a grid packs cards two columns apart and hides them.
        // (A selected node's panel shows what smaller cards leave out.)
        let candidates = sizes(detailLines: detailLines, extraLines: extraLines, large: large)
        for size in candidates {
            let ring = centres(count: count, in: r, card: size)
            if fits(ring, size, r) { return Layout(card: size, centres: ring) }
        }
        for size in candidates {
            if let grid = gridCentres(count: count, in: r, card: size) { return Layout(card: size, centres: grid) }
        }
        let tiny = sizes(detailLines: detailLines).last!
        return Layout(card: tiny, centres: gridCentres(count: count, in: r, card: tiny, force: true)!)
    }

    static func fits(_ centres: [(x: Int, y: Int)], _ card: (w: Int, h: Int), _ r: Rect) -> Bool {
        for (i, a) in centres.enumerated() {
            let box = Rect(x: a.x - card.w / 2, y: a.y - card.h / 2, width: card.w, height: card.h)
            if box.x < r.x || box.y < r.y || box.maxX > r.maxX || box.maxY > r.maxY { return false }
            for b in centres[(i + 1)...] where abs(a.x - b.x) < card.w + 1 && abs(a.y - b.y) < card.h {
                return false
            }
        }
        return true
    }

    static func gridCentres(count: Int, in r: Rect, card: (w: Int, h: Int), force: Bool = false) -> [(x: Int, y: Int)]? {
        let gapX = 2, gapY = card.h == 1 ? 1 : 0
        let cols = max(1, (r.width + gapX) / (card.w + gapX))
        let rows = (count + cols - 1) / cols
        guard force || rows * (card.h + gapY) - gapY <= r.height else { return nil }
        let usedW = cols * (card.w + gapX) - gapX, usedH = rows * (card.h + gapY) - gapY
        let x0 = r.x + max(0, (r.width - usedW) / 2), y0 = r.y + max(0, (r.height - usedH) / 2)
        return (0..<count).map { i in
            (x0 + (i % cols) * (card.w + gapX) + card.w / 2, y0 + (i / cols) * (card.h + gapY) + card.h / 2)
        }
    }

    /// Centres of `count` cards on an ellipse filling `r`, first node at the top, clockwise.
    public static func centres(count: Int, in r: Rect, card: (w: Int, h: Int)) -> [(x: Int, y: Int)] {
        let cx = Double(r.x) + Double(r.width) / 2, cy = Double(r.y) + Double(r.height) / 2
        let rx = max(0, (Double(r.width) - Double(card.w)) / 2), ry = max(0, (Double(r.height) - Double(card.h)) / 2)
        if count == 1 { return [(Int(cx), Int(cy))] }
        return (0..<count).map { i in
            let a = -Double.pi / 2 + 2 * Double.pi * Double(i) / Double(count)
            return (Int((cx + rx * cosine(a)).rounded()), Int((cy + ry * sine(a)).rounded()))
        }
    }

    public static func draw(cards: [NodeCard], messages: [MessageMark], in r: Rect, on canvas: inout Canvas,
                            selected: NodeID?, glyphs g: GlyphSet, sizeClass: SizeClass = .compact) {
        guard !cards.isEmpty, !r.isEmpty else { return }
        let detail = cards.map(\.details.count).max() ?? 0
        let extra = cards.map(\.moreDetails.count).max() ?? 0
        let layout = self.layout(count: cards.count, in: r, detailLines: detail, extraLines: extra, large: sizeClass >= .regular)
        let size = layout.card, centres = layout.centres
        let boxes = centres.map { Rect(x: $0.x - size.w / 2, y: $0.y - size.h / 2, width: size.w, height: size.h) }
        // A label touching a card is a message just leaving or arriving: skip it rather than
        // show a fragment of it.
        // Labels that would overlap one already drawn are left out: a pile of fragments
        // ("V✓↘✓↓↙") says less than the one label left whole.
        var drawn: [Rect] = []
        for m in messages {
            let a = centres[m.from], b = centres[m.to]
            let p = min(1, max(0, m.progress))
            // A head toward the receiver: on the side it travels to, so "RV→" and "←ok" read as
            // what goes where.
            let head = g.head(dx: b.x - a.x, dy: b.y - a.y)
            let text = b.x < a.x ? "\(head)\(m.label)" : "\(m.label)\(head)"
            func point(_ q: Double) -> (Int, Int) {
                (Int((Double(a.x) + (Double(b.x) - Double(a.x)) * q).rounded()), Int((Double(a.y) + (Double(b.y) - Double(a.y)) * q).rounded()))
            }
            func free(_ rect: Rect) -> Bool {
                // One clear column from any card, so a label never reads as part of its border.
                let clear = Rect(x: rect.x - 1, y: rect.y, width: rect.width + 2, height: 1)
                return !boxes.contains { $0.intersects(clear) } && r.contains(x: rect.x, y: rect.y) && rect.maxX <= r.maxX
                    && !drawn.contains { $0.intersects(clear) }
            }
            // Where it is, or the nearest free place on its way (cards sit close on small
            // screens); failing that, its head alone, so a message in flight is never invisible.
            var placed = false
            for q in [p, p - 0.08, p + 0.08, p - 0.16, p + 0.16, p - 0.24, p + 0.24] where q > 0 && q < 1 {
                let (x, y) = point(q)
                let label = Rect(x: x - displayWidth(text) / 2, y: y, width: displayWidth(text), height: 1)
                if free(label) { drawn.append(label); canvas.text(text, x: label.x, y: y, m.style); placed = true; break }
            }
            if !placed {
                for q in [p, p - 0.1, p + 0.1, p - 0.2, p + 0.2, p - 0.3, p + 0.3] where q > 0 && q < 1 {
                    let (x, y) = point(q)
                    let dot = Rect(x: x, y: y, width: 1, height: 1)
                    if !boxes.contains(where: { $0.intersects(dot) }) && r.contains(x: x, y: y) && !drawn.contains(where: { $0.intersects(dot) }) {
                        drawn.append(dot); canvas.put(head, x: x, y: y, m.style); break
                    }
                }
            }
        }
        for (i, card) in cards.enumerated() {
            let c = centres[i]
            let box = Rect(x: c.x - size.w / 2, y: c.y - size.h / 2, width: size.w, height: size.h)
            drawCard(card, in: box, on: &canvas, selected: selected == i, glyphs: g)
        }
    }

    static func drawCard(_ card: NodeCard, in box: Rect, on canvas: inout Canvas, selected: Bool, glyphs g: GlyphSet) {
        canvas.fill(box)
        if box.height == 1 {
            let prefix = "\(card.title) \(card.glyph) "
            let text = truncate(prefix + card.short(fitting: box.width - displayWidth(prefix)), to: box.width, ellipsis: g.ellipsis)
            canvas.text(text, x: box.x, y: box.y, selected ? card.style.with { $0.reverse = true } : card.style)
            return
        }
        let frame = selected ? card.style.with { $0.bold = true } : Style(dim: card.role == "crashed")
        let title = selected ? "\(g.selected)\(card.title)" : card.title
        canvas.box(box, glyphs: g, frame, title: title, titleStyle: selected ? Style(bold: true, reverse: true) : .bold)
        let inner = box.inset(1)
        var y = inner.y
        if box.height == 3 {
            canvas.text(truncate("\(card.glyph) \(card.short(fitting: inner.width - 2))", to: inner.width, ellipsis: g.ellipsis), x: inner.x, y: y, card.style)
            // No row for the bar: it runs along the bottom edge instead (a projector's 60x18
            // lost the timers the first election's question is about).
            if let bar = card.bar { drawBar(bar, x: inner.x, y: box.maxY - 1, width: inner.width, style: card.style, on: &canvas, glyphs: g) }
            return
        }
        let roleLine = displayWidth(card.role) + 2 <= inner.width ? "\(card.glyph) \(card.role)" : "\(card.glyph)\(card.role)"
        canvas.text(truncate(roleLine, to: inner.width, ellipsis: g.ellipsis), x: inner.x, y: y, card.style)
        y += 1
        let roomForDetails = inner.maxY - y - (card.bar == nil ? 0 : 1)
        let details = card.details.count + card.moreDetails.count <= roomForDetails ? card.details + card.moreDetails
            : card.details.count <= roomForDetails ? card.details : [card.short(fitting: inner.width)]
        for d in details where y < inner.maxY - (card.bar == nil ? 0 : 1) {
            canvas.text(truncate(d, to: inner.width, ellipsis: g.ellipsis), x: inner.x, y: y)
            y += 1
        }
        if let bar = card.bar, y < inner.maxY {
            let labelWidth = card.barLabel.isEmpty ? 0 : displayWidth(card.barLabel) + 1
            let w = max(1, inner.width - labelWidth)
            canvas.text(card.barLabel, x: inner.x, y: y, .dim)
            drawBar(bar, x: inner.x + labelWidth, y: inner.maxY - 1, width: w, style: card.style, on: &canvas, glyphs: g)
        }
    }

    /// `fraction` of `width` cells full, the rest empty.
    static func drawBar(_ fraction: Double, x: Int, y: Int, width: Int, style: Style, on canvas: inout Canvas, glyphs g: GlyphSet) {
        let filled = Int((Double(width) * min(1, max(0, fraction))).rounded(.up))
        for k in 0..<max(0, width) { canvas.put(k < filled ? g.barFull : g.barEmpty, x: x + k, y: y, k < filled ? style : .dim) }
    }
}

// Small, dependency-free trigonometry: enough precision for placing cards on a grid, and the
// same numbers on every platform (the layout is part of snapshot tests).
func sine(_ x: Double) -> Double {
    var a = x.truncatingRemainder(dividingBy: 2 * .pi)
    if a > .pi { a -= 2 * .pi } else if a < -.pi { a += 2 * .pi }
    var term = a, sum = a
    for n in 1..<12 {
        term *= -a * a / Double((2 * n) * (2 * n + 1))
        sum += term
    }
    return sum
}
func cosine(_ x: Double) -> Double { sine(x + .pi / 2) }
