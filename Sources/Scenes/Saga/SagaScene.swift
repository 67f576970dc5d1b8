import Canvas
import Patterns
import Simulation

/// Sagas as swimlanes, one per node. One saga is in focus (the newest; `o` picks
/// another): its steps are boxes placed left to right in the lane of the service that does
/// them, marked done, failed, undone or running; a line under them runs back over the steps
/// being compensated. Beside each service: its rows, what it owns (balances, stock), its outbox
/// and change capture. The orchestrator's lane shows the saga's state machine and its log; the
/// broker's, the messages it holds.
extension Saga: PatternScene {
    public struct ViewState: Sendable, Equatable {
        /// nil: follow the newest saga.
        public var saga: Int?
        public init() {}
    }

    public static func initialViewState() -> ViewState { ViewState() }
    public static let sceneKeys: [(String, String)] = [("o", "next saga")]

    public static func handle(_ key: SceneKey, _ view: inout ViewState, _ c: Cluster<SagaNode>) -> String? {
        let n = started(c)
        switch key {
        case .char("o"), .char("O"):
            guard n > 0 else { return "no saga has started yet" }
            // From the newest, o goes to the first; past the last it follows the newest again.
            let cur = view.saga ?? 0
            let next = key == .char("o") ? (cur >= n ? 0 : cur + 1) : (cur == 0 ? n - 1 : cur - 1)
            view.saga = next == 0 ? nil : next
            return view.saga.map { "showing saga \($0) of \(n); Esc follows the newest again" } ?? "following the newest saga"
        case .escape:
            guard view.saga != nil else { return nil }
            view.saga = nil
            return "following the newest saga"
        default: return nil
        }
    }

    /// The saga in focus: the one chosen with `o`, else the newest (predictable: a lesson's
    /// narration can say which saga the screen shows).
    static func focus(_ view: ViewState, _ c: Cluster<SagaNode>) -> Int? {
        let n = started(c)
        guard n > 0 else { return nil }
        if let s = view.saga, s <= n { return s }
        return n
    }

    enum Mark { case waiting, running, done, failed, undoing, undone }

    /// Why a saga is being undone: the orchestrator's log says; in a choreography, the
    /// refusal recorded by the service whose step failed.
    static func reason(_ saga: Int, _ c: Cluster<SagaNode>) -> String? {
        let cf = config(of: c)
        if let o = cf.orchestrator { return c.nodes[o].log.entry(saga)?.why }
        for k in cf.steps.indices {
            if let r = c.nodes[cf.node(of: k)].db.record(saga, k, undo: false), case .refused(let why) = r.outcome {
                return "\(cf.steps[k].action.verb): \(why.text)"
            }
        }
        return nil
    }

    /// Where each step of `saga` stands, as the screen marks it: in each service's lane, what
    /// that service's own database records (a step is done when it committed, whether or not
    /// the orchestrator has heard yet); running and being undone come from the orchestrator's
    /// log, the only place that knows what was asked. In a choreography nobody holds the whole
    /// picture: it is read from the services' records.
    static func marks(_ saga: Int, _ c: Cluster<SagaNode>) -> [Mark] {
        let cf = config(of: c)
        let asked = cf.orchestrator.flatMap { c.nodes[$0].log.entry(saga) }
        return cf.steps.indices.map { k -> Mark in
            let db = c.nodes[cf.node(of: k)].db
            if db.record(saga, k, undo: true) != nil { return .undone }
            if asked?.statuses[k] == .undoing { return .undoing }
            if let r = db.record(saga, k, undo: false) { return r.outcome == .done ? .done : .failed }
            return asked?.statuses[k] == .running ? .running : .waiting
        }
    }

    static func glyph(_ m: Mark, _ g: GlyphSet) -> (String, Style) {
        let ascii = g == .ascii
        switch m {
        case .waiting: return (ascii ? "." : "·", .dim)
        case .running: return (ascii ? ">" : "▶", Style(foreground: .cyan, bold: true))
        case .done: return (String(g.check), Style(foreground: .green, bold: true))
        case .failed: return (String(g.cross), Style(foreground: .red, bold: true))
        case .undoing: return (ascii ? "<" : "◀", Style(foreground: .yellow, bold: true))
        case .undone: return (ascii ? "~" : "↺", Style(foreground: .yellow))
        }
    }

    static let labelWidth = 16

    public static func draw(_ c: Cluster<SagaNode>, _ view: ViewState, in r: Rect, on canvas: inout Canvas, _ ctx: SceneContext) {
        guard !r.isEmpty else { return }
        let g = ctx.glyphs, cf = config(of: c)
        let saga = focus(view, c)
        var y = r.y
        // Heading: the saga in focus and where it stands.
        if let s = saga, let st = state(of: s, in: c) {
            var head = "s\(s)/\(started(c)) \(st.rawValue)" + (view.saga == nil || !ctx.keysLive ? "" : " (o)")
            if let why = reason(s, c) { head += ": \(why)" }
            let style: Style = st == .completed ? Style(foreground: .green, bold: true) : st == .running ? .bold : Style(foreground: .yellow, bold: true)
            canvas.text(head, x: r.x, y: y, style, maxWidth: r.width)
        } else {
            canvas.text("no saga yet" + (ctx.keysLive ? ": start one (s)" : ""), x: r.x, y: y, .dim, maxWidth: r.width)
        }
        y += 1
        let stepsX = r.x + labelWidth
        // Wider columns on a wide screen: whole step names, room for the arrows between them.
        let colWidth = max(4, min(r.width >= 140 ? 18 : 11, (r.width - labelWidth) / max(1, cf.steps.count)))
        let m = saga.map { marks($0, c) } ?? Array(repeating: .waiting, count: cf.steps.count)
        // Step numbers and kinds over the lanes.
        if y < r.maxY {
            for (k, step) in cf.steps.enumerated() {
                canvas.text("#\(k + 1) \(step.mark)", x: stepsX + k * colWidth, y: y, .dim, maxWidth: max(0, min(colWidth - 1, r.maxX - stepsX - k * colWidth)))
            }
            y += 1
        }
        let traffic = wires(c, g)
        // Two rows a lane, and one for the compensation line; when that does not fit (80x24),
        // the orchestrator and the broker give up their second rows first.
        let compact = r.maxY - y < 2 * c.size + 1
        // A tall screen gives each service a third row: its rows for the other sagas.
        let roomy = r.maxY - y >= 3 * c.size + 10
        for n in 0..<c.size where y < r.maxY {
            y = lane(n, c, saga: saga, marks: m, traffic: traffic[n] ?? [], y: y, stepsX: stepsX, colWidth: colWidth, compact: compact,
                     highlighted: ctx.selected == n, in: r, on: &canvas, g)
            if roomy, c.nodes[n].service != nil, y < r.maxY {
                let others = c.nodes[n].db.rows.sorted { $0.key > $1.key }.filter { $0.key != saga }.prefix(6).map { "s\($0.key) \($0.value.rawValue)" }
                canvas.put(g.vertical, x: r.x + labelWidth - 2, y: y, .dim)
                if !others.isEmpty { canvas.text("others: " + others.joined(separator: "  "), x: stepsX, y: y, .dim, maxWidth: r.maxX - stepsX) }
                y += 1
            }
        }
        // The compensation line: back from the step that failed over the steps undone.
        if let s = saga, y < r.maxY, let failed = m.firstIndex(of: .failed) ?? (state(of: s, in: c) == .compensating ? m.lastIndex(where: { $0 == .undoing }) : nil) {
            let undone = m.indices.filter { m[$0] == .undone || m[$0] == .undoing }
            if let first = undone.min() {
                let from = stepsX + first * colWidth, to = stepsX + failed * colWidth + 1
                if to > from {
                    var line = (g == .ascii ? "<" : "◀") + String(repeating: g == .ascii ? "-" : "─", count: max(0, to - from - 1))
                    line += g == .ascii ? "+" : "┘"
                    canvas.text("compensation", x: r.x, y: y, .dim, maxWidth: labelWidth - 1)
                    canvas.text(line, x: from, y: y, Style(foreground: .yellow), maxWidth: max(0, r.maxX - from))
                    y += 1
                }
            }
        }
        if let o = cf.orchestrator, y + 2 < r.maxY { drawLog(c.nodes[o].log, y: y + 1, in: r, on: &canvas, g) }
    }

    /// One lane: the name, the focused saga's steps done here, then what the node holds.
    static func lane(_ n: NodeID, _ c: Cluster<SagaNode>, saga: Int?, marks m: [Mark], traffic: [String], y: Int,
                     stepsX: Int, colWidth: Int, compact: Bool = false, highlighted: Bool = false, in r: Rect, on canvas: inout Canvas, _ g: GlyphSet) -> Int {
        let node = c.nodes[n], cf = node.config
        let down = c.unavailable(n) != nil
        // The highlighted node (1-9) in reverse video, as other scenes mark a node.
        let nameStyle: Style = down ? Style(foreground: .red, bold: true, reverse: highlighted) : Style(bold: true, reverse: highlighted)
        canvas.text(c.name(n) + (down ? " " + String(c.isUp[n] ? g.pause : g.crashed) : ""), x: r.x, y: y, nameStyle, maxWidth: labelWidth - 2)
        canvas.put(g.vertical, x: r.x + labelWidth - 2, y: y, .dim)
        var y2 = y
        // How far the first row is taken, so messages on the wire never cover it.
        var usedTo = stepsX
        switch node.role {
        case .orchestrator:
            // The state machine of the focused saga, current state in reverse.
            if let s = saga, let e = node.log.entry(s) {
                // The machine around the current state: where it came from and where it can go.
                let path: [SagaLog.State] = switch e.state {
                case .running: [.running, .completed, .compensating]
                case .compensating: [.running, .compensating, .compensated]
                case .completed: [.running, .completed]
                case .compensated: [.running, .compensating, .compensated]
                }
                var x = stepsX
                let room = r.maxX - stepsX
                let full = path.map(\.rawValue).joined(separator: " → ").count + 2
                for (k, st) in path.enumerated() where x < r.maxX {
                    let on = st == e.state
                    if !on, full > room { continue }
                    if k > 0, full <= room { x += canvas.text(e.state == .running && k == 2 ? " | " : " \(g.arrow) ", x: x, y: y, .dim, maxWidth: r.maxX - x) }
                    x += canvas.text(on ? "[\(st.rawValue)]" : st.rawValue, x: x, y: y, on ? Style(bold: true, reverse: true) : .dim, maxWidth: r.maxX - x)
                }
                if node.counts.duplicatesIgnored > 0, x + 2 < r.maxX {
                    x += 2 + canvas.text("dups ignored \(node.counts.duplicatesIgnored)", x: x + 2, y: y, .plain, maxWidth: r.maxX - x - 2)
                }
                usedTo = x
                if !compact { y2 += 1 }
                if !compact, y2 < r.maxY, let last = node.log.lines.last {
                    canvas.put(g.vertical, x: r.x + labelWidth - 2, y: y2, .dim)
                    canvas.text(last, x: stepsX, y: y2, .plain, maxWidth: r.maxX - stepsX)
                }
            } else {
                canvas.text("the saga log: \(node.log.sagas.count) saga\(node.log.sagas.count == 1 ? "" : "s")", x: stepsX, y: y, .dim, maxWidth: max(0, r.maxX - stepsX))
            }
        case .service(let svc):
            let mine = cf.steps.indices.filter { cf.steps[$0].action.service == svc }
            for (j, k) in mine.enumerated() {
                let (mark, style) = glyph(m[k], g)
                let x = stepsX + k * colWidth
                let label = m[k] == .undone || m[k] == .undoing ? cf.steps[k].action.compensation ?? cf.steps[k].action.verb : cf.steps[k].action.verb
                // A label may run into the next column when this lane has nothing there.
                let end = j + 1 < mine.count ? stepsX + mine[j + 1] * colWidth - 1 : r.maxX
                usedTo = max(usedTo, x + canvas.text(mark + label, x: x, y: y, style, maxWidth: max(0, min(end, r.maxX) - x)))
                // The command or event that started this step came forward from the one before.
                // (Not in ASCII, where > already means running.)
                if k > 0, m[k] != .waiting, g != .ascii, x - 1 < r.maxX { canvas.put(g.heads[0], x: x - 1, y: y, .dim) }
            }
            y2 += 1
            if y2 < r.maxY { canvas.put(g.vertical, x: r.x + labelWidth - 2, y: y2, .dim) }
            // The focused saga's row, then what matters most first: a narrow screen cuts the end.
            var parts: [String] = []
            // The row's newest change for the saga in focus: `PENDING→APPROVED`.
            let change = saga.flatMap { s in node.db.changes.last { $0.saga == s } }
            if let ch = change { parts.append(ch.to.rawValue) }
            else if let s = saga, let row = node.db.rows[s] { parts.append(row.rawValue) }
            if let p = node.crashPoint { parts.append("crash \(p.rawValue)!") }
            switch svc {
            case .payment: parts.append(zip(cf.accounts, node.db.balances).map { "\($0) \($1)" }.joined(separator: " "))
            case .inventory:
                parts.append(zip(cf.items, node.db.stock).map { "\($0) \($1)" }.joined(separator: " "))
                // Other sagas' reservations still PENDING: what a semantic lock makes others wait for.
                let pending = node.db.rows.filter { $0.value == .pending && $0.key != saga }.map(\.key).sorted()
                if !pending.isEmpty { parts.append(pending.prefix(2).map { "s\($0)" }.joined(separator: ",") + " PENDING") }
                if node.counts.dirtyReads > 0 { parts.append("dirty reads \(node.counts.dirtyReads)") }
            default: break
            }
            let twice = node.db.records.values.filter { $0.applied > 1 }.count
            if twice > 0 { parts.append("applied twice \(twice)") }
            if node.counts.duplicatesIgnored > 0 { parts.append("dups ignored \(node.counts.duplicatesIgnored)") }
            let unsent = node.db.outbox.filter { !$0.sent }.count
            if cf.outbox, unsent > 0 { parts.append("outbox \(unsent)") }
            if cf.cdc != .off { parts.append("cdc \(node.db.captured)" + (node.db.staleInReplica > 0 ? " stale \(node.db.staleInReplica)" : "")) }
            // Two spaces between parts when they fit, one when that keeps a count on screen;
            // the row's previous state too when there is room for it.
            let room = r.width - labelWidth
            var line = parts.joined(separator: "  ")
            if let from = change?.from, !parts.isEmpty {
                var withFrom = parts
                withFrom[0] = from.rawValue + g.arrow + withFrom[0]
                if displayWidth(withFrom.joined(separator: "  ")) <= room { line = withFrom.joined(separator: "  ") }
                else if displayWidth(withFrom.joined(separator: " ")) <= room { line = withFrom.joined(separator: " ") }
            }
            if displayWidth(line) > room { line = parts.joined(separator: " ") }
            if y2 < r.maxY { canvas.text(line, x: r.x + labelWidth, y: y2, .plain, maxWidth: r.width - labelWidth) }
        case .broker:
            let q = node.queue
            var parts = [("waiting", q.waiting), ("unacked", q.unacked)]
            if node.counts.redeliveries > 0 { parts.append(("redelivered", node.counts.redeliveries)) }
            if node.counts.duplicated > 0 { parts.append(("dup", node.counts.duplicated)) }
            // Narrow: one space between, then the zero counts go, so the ones that moved stay.
            let room = r.width - labelWidth
            var line = parts.map { "\($0.0) \($0.1)" }.joined(separator: "  ")
            if displayWidth(line) > room { line = parts.map { "\($0.0) \($0.1)" }.joined(separator: " ") }
            if displayWidth(line) > room { line = parts.filter { $0.1 > 0 }.map { "\($0.0) \($0.1)" }.joined(separator: " ") }
            usedTo = r.x + labelWidth + canvas.text(line, x: r.x + labelWidth, y: y, .plain, maxWidth: r.width - labelWidth)
            y2 += 1
            let held = q.inOrder.prefix(3).map { h in "\(h.post.label)\(g.arrow)\(c.name(h.post.to))" + (h.copies > 1 ? " ×\(h.copies)" : h.copies == 0 ? " (waiting)" : "") }
            if !compact, y2 < r.maxY, !held.isEmpty {
                canvas.put(g.vertical, x: r.x + labelWidth - 2, y: y2, .dim)
                canvas.text(held.joined(separator: "  "), x: r.x + labelWidth, y: y2, .dim, maxWidth: r.width - labelWidth)
            } else { y2 -= 1 }
        }
        // Messages on the wire to or from this node, at the end of its first line.
        let room = r.maxX - usedTo - 1
        if !traffic.isEmpty, room >= 4 {
            var text = traffic[0]
            if traffic.count > 1, displayWidth(text) + 1 + displayWidth(traffic[1]) <= room { text += " " + traffic[1] }
            let w = min(displayWidth(text), room)
            canvas.text(text, x: r.maxX - w, y: y, Style(foreground: .cyan, bold: true), maxWidth: w)
        }
        return y2 + 1
    }

    /// Per node, the messages on the wire to it (`●s1 do #3`, coming in) or from it (going out).
    static func wires(_ c: Cluster<SagaNode>, _ glyphs: GlyphSet) -> [NodeID: [String]] {
        var out: [NodeID: [String]] = [:]
        let g = glyphs == .ascii ? "*" : "●"
        for e in c.inFlight.sorted(by: { $0.arrivesAt < $1.arrivesAt }) {
            switch e.message {
            case .deliver(let p, _): out[e.to, default: []].append("\(g)\(p.label)")
            case .publish(let p): out[e.from, default: []].append("\(p.label)\(g)")
            case .ack, .published: continue
            }
        }
        return out
    }

    static func drawLog(_ log: SagaLog, y: Int, in r: Rect, on canvas: inout Canvas, _ g: GlyphSet) {
        let room = r.maxY - y
        guard room >= 1 else { return }
        canvas.text("saga log", x: r.x, y: y, .dim, maxWidth: labelWidth - 1)
        let lines = log.lines.suffix(room)
        for (k, line) in lines.enumerated() {
            canvas.text(line, x: r.x + labelWidth, y: y + k, k == lines.count - 1 ? .bold : .plain, maxWidth: r.width - labelWidth)
        }
    }

    // MARK: Help and details

    public static func legend(_ g: GlyphSet) -> [String] {
        let m = [Mark.done, .failed, .running, .undoing, .undone, .waiting].map { glyph($0, g).0 }
        return [
            "A lane per node. The saga in focus (o: the next one) has its steps in the lanes of the services that do them,",
            "done, refused and undone as each service's own database records them; running and being undone as the orchestrator asked:",
            "\(m[0]) done  \(m[1]) refused  \(m[2]) running  \(m[3]) being undone  \(m[4]) undone (compensated)  \(m[5]) not yet;",
            "\(g.heads[0]) before a step: the command or event that started it came forward from the step before.",
            "Over the lanes: each step's number and kind: C compensatable, P pivot, R retriable.",
            "Under a service: its row for the saga in focus, balances or stock, other sagas' PENDING reservations,",
            "copies it ignored, outbox rows not yet stored by the broker, changes captured (and rows stale downstream).",
            "At the right of a lane: messages on the wire, \(g == .ascii ? "*" : "●")s1 do #3 coming in, s1 #3 ok\(g == .ascii ? "*" : "●") going out.",
            "After a node's name: \(g.crashed) crashed, \(g.pause) paused.",
            "Orchestrator: the saga's state, in [brackets], and the newest line of its saga log (the whole log below, with room).",
            "Broker: messages waiting to be delivered, delivered and not yet acknowledged, redelivered, duplicated.",
        ]
    }

    /// Acknowledgements and "stored" receipts are bookkeeping: the player lets them pass
    /// quickly and slows down for commands, replies and events.
    public static func isRoutine(_ e: Envelope<SagaMessage>, in c: Cluster<SagaNode>) -> Bool {
        switch e.message {
        case .ack, .published: true
        case .publish, .deliver: false
        }
    }

    public static func needs(nodes: Int, size: SizeClass) -> SceneNeeds { SceneNeeds(minWidth: 46, minHeight: 12, widthShare: 62, wantsEventLog: true) }

    public static func details(of n: NodeID, in c: Cluster<SagaNode>, width: Int, glyphs g: GlyphSet) -> [StyledLine] {
        let node = c.nodes[n], k = node.counts
        var lines: [StyledLine] = [[Span("\(c.name(n)) \(g.bullet) published \(k.published), received \(k.received), duplicates ignored \(k.duplicatesIgnored)"
                                         + (node.role == .orchestrator ? " \(g.bullet) saga log, newest first:" : ""), .bold)]]
        switch node.role {
        case .broker:
            lines = [[Span("broker \(g.bullet) stored \(k.stored), delivered \(k.delivered), redelivered \(k.redeliveries), duplicated \(k.duplicated), acked \(k.acked)", .bold)]]
        case .orchestrator:
            // The newest of the saga log first (a small box shows only the top), then the sagas.
            for line in node.log.lines.suffix(6).reversed() { lines.append([Span("  " + line)]) }
            let ended = { (e: SagaLog.Entry) in e.state == .completed || e.state == .compensated }
            for e in node.log.sagas.suffix(3).reversed() {
                lines.append([Span("  s\(e.order.saga) \(e.state.rawValue): " + e.statuses.enumerated().map { "#\($0 + 1) \($1 == .waiting && ended(e) ? "not run" : $1.rawValue)" }.joined(separator: ", "), .dim)])
            }
        case .service:
            lines.append([Span("  applied \(k.applied), undone \(k.compensated), refused \(k.refused), failed for now \(k.transient)" + (k.dirtyReads > 0 ? ", dirty reads \(k.dirtyReads)" : ""))])
            let rows = node.db.rows.sorted { $0.key < $1.key }.suffix(8).map { "s\($0.key) \($0.value.rawValue)" }
            if !rows.isEmpty { lines.append([Span("  rows: " + rows.joined(separator: ", "))]) }
            let log = node.db.changes.suffix(4).map { "\($0.lsn): s\($0.saga) \($0.from?.rawValue ?? "-")\(g.arrow)\($0.to.rawValue)" }
            if !log.isEmpty { lines.append([Span("  log: " + log.joined(separator: ", "), .dim)]) }
            if node.config.cdc != .off {
                lines.append([Span("  change capture (\(node.config.cdc == .tail ? "log tailing" : "polling")): \(node.db.captured) passed on, \(node.db.staleInReplica) wrong downstream")])
            }
        }
        return lines
    }
}
