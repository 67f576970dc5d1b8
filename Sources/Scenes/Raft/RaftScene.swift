import Canvas
import Patterns
import Simulation

/// Raft as a ring of servers. Each card shows role (glyph and word), term, log length with the
/// commit index, and the election timer running down, so a student can predict who times out next.
extension Raft: PatternScene {
    public static func draw(_ c: Cluster<RaftNode>, _ view: NoViewState, in r: Rect, on canvas: inout Canvas, _ ctx: SceneContext) {
        let g = ctx.glyphs
        // Beyond a ring's worth of nodes (headless runs allow 101), a dense grid with counts.
        guard c.size <= 15 else {
            let states = (0..<c.size).map { id -> Int in
                !c.isUp[id] ? 3 : c.isPaused[id] ? 4 : c.nodes[id].role == .leader ? 2 : c.nodes[id].role == .candidate ? 1 : 0
            }
            DenseGrid.draw(states: states, palette: gridPalette(g), in: r, on: &canvas, glyphs: g, selected: ctx.selected)
            return
        }
        let cards = (0..<c.size).map { card(for: $0, in: c, glyphs: g) }
        let messages = c.inFlight.map { mark(for: $0, now: c.now, receiverDown: !c.isUp[$0.to], glyphs: g) }
        // Once there are entries, the logs get rows of their own under the ring (the ring takes
        // smaller cards): entries being copied, committed and replaced are what is being taught.
        var ring = r
        if c.nodes.contains(where: { !$0.log.isEmpty || $0.lastReplaced != nil }) {
            let rows = min(RaftLogs.rows(nodes: c.size), r.height / 2)
            let (top, bottom) = r.splitBottom(rows)
            ring = top
            RaftLogs.draw(c, in: bottom, on: &canvas, glyphs: g)
        }
        RingView.draw(cards: cards, messages: messages, in: ring, on: &canvas, selected: ctx.selected, glyphs: g, sizeClass: ctx.sizeClass)
    }

    /// A ring for a handful of servers; beyond 15 (headless runs) a dense grid that needs no log.
    public static func needs(nodes: Int, size: SizeClass) -> SceneNeeds {
        nodes > 15 ? SceneNeeds(wantsEventLog: false) : SceneNeeds()
    }

    /// Heartbeats that tell a follower nothing new, and replies that tell the leader nothing
    /// new, are the cluster idling. A heartbeat that carries a newer term, goes to a node that
    /// does not follow this leader, or dies on the way is news.
    public static func isRoutine(_ e: Envelope<RaftMessage>, in c: Cluster<RaftNode>) -> Bool {
        guard e.lostBecause == nil, c.isUp[e.to] else { return false }
        switch e.message {
        case let .appendEntries(term, _, _, entries, _):
            let follower = c.nodes[e.to]
            return entries.isEmpty && follower.currentTerm == term && follower.leaderID == e.from
        case let .appendEntriesReply(term, success, match):
            let leader = c.nodes[e.to]
            guard success, leader.role == .leader, term == leader.currentTerm, e.from < leader.matchIndex.count else { return false }
            return leader.matchIndex[e.from] >= match
        default: return false
        }
    }

    public static func gridPalette(_ g: GlyphSet) -> [GridState] {
        [GridState("follower", glyph: g.follower, style: Style(foreground: .green)),
         GridState("candidate", glyph: g.candidate, style: Style(foreground: .cyan, bold: true)),
         GridState("leader", glyph: g.leader, style: Style(foreground: .yellow, bold: true)),
         GridState("crashed", glyph: g.crashed, style: Style(foreground: .red, dim: true)),
         GridState("paused", glyph: g.pause, style: Style(foreground: .magenta, bold: true))]
    }

    static func card(for id: NodeID, in c: Cluster<RaftNode>, glyphs g: GlyphSet) -> NodeCard {
        let n = c.nodes[id]
        let title = nodeName(id)
        guard c.isUp[id] else {
            return NodeCard(title: title, glyph: g.crashed, role: "crashed", style: Style(foreground: .red, dim: true),
                            details: ["term \(n.currentTerm)", "log \(n.log.count)"],
                            shortForms: ["term \(n.currentTerm) log \(n.log.count)", "t\(n.currentTerm) log \(n.log.count)", "t\(n.currentTerm)"], bar: nil)
        }
        let votes = n.role == .candidate ? " v:\(n.votes.count)" : ""
        let details = ["term \(n.currentTerm)\(votes)", "log \(n.log.count) c=\(n.commitIndex)"]
        // On large cards: the exact time left on the running timer, and the vote this term.
        let timer = c.timer(n.role == .leader ? .heartbeat : .election, of: id)
        let what = n.role == .leader ? "hb" : "timeout"
        // Past due only while paused: the timer waits for the node to run again.
        let more = [timer.map { $0.deadline >= c.now ? "\(what) in \(SimDuration.format($0.deadline - c.now))"
                                                     : "\(what) overdue \(SimDuration.format(c.now - $0.deadline))" } ?? "no timer",
                    "voted \(n.votedFor.map(nodeName) ?? "-")"]
        let t = n.currentTerm, l = n.log.count, k = n.commitIndex
        // Only forms the legend explains, widest first; a candidate keeps its votes to the last
        // but one (with a two-digit term "t12 v:3" is what fits, and the count is the story).
        let short = ["term \(t)\(votes) log \(l)/\(k)", "t\(t)\(votes) log \(l)/\(k)", "term \(t)\(votes)", "t\(t)\(votes)", "t\(t)"]
        // A paused node keeps what it believed (a paused leader still thinks it leads), but the
        // card says first that it does nothing now: its timers and inbox wait.
        let paused = c.isPaused[id]
        let believed = n.role == .leader ? "leader" : n.role.rawValue
        func card(_ glyph: Character, _ role: String, _ style: Style, bar: Double?, barLabel: String = "") -> NodeCard {
            paused ? NodeCard(title: title, glyph: g.pause, role: "paused", style: Style(foreground: .magenta, bold: true),
                              details: details, shortForms: short, bar: bar, barLabel: barLabel,
                              moreDetails: ["was \(believed)", "\(c.waiting(at: id)) waiting"] + more)
                   : NodeCard(title: title, glyph: glyph, role: role, style: style, details: details, shortForms: short,
                              bar: bar, barLabel: barLabel, moreDetails: more)
        }
        switch n.role {
        case .leader:
            return card(g.leader, "LEADER", Style(foreground: .yellow, bold: true), bar: remaining(.heartbeat, id, c), barLabel: "hb")
        case .candidate:
            return card(g.candidate, "candidate", Style(foreground: .cyan, bold: true), bar: remaining(.election, id, c))
        case .follower:
            return card(g.follower, "follower", Style(foreground: .green), bar: remaining(.election, id, c))
        }
    }

    /// Share of the timer still to run: 1 just after it was armed, 0 when it fires.
    static func remaining(_ t: RaftTimer, _ id: NodeID, _ c: Cluster<RaftNode>) -> Double? {
        guard let (armed, deadline) = c.timer(t, of: id), deadline > armed else { return nil }
        return Double(deadline - c.now) / Double(deadline - armed)
    }

    static func mark(for e: Envelope<RaftMessage>, now: SimTime, receiverDown: Bool = false, glyphs g: GlyphSet) -> MessageMark {
        let label: String
        let style: Style
        switch e.message {
        case .requestVote: label = "RV"; style = Style(foreground: .cyan, bold: true)
        case .vote(_, let granted):
            label = granted ? "V\(g.check)" : "V\(g.cross)"
            style = Style(foreground: granted ? .green : .red, bold: true)
        case .appendEntries(_, _, _, let entries, _):
            label = entries.isEmpty ? "hb" : "AE+\(entries.count)"
            style = entries.isEmpty ? Style(dim: true) : Style(foreground: .yellow, bold: true)
        case .appendEntriesReply(_, let ok, _):
            label = ok ? "ok" : "no"
            style = Style(foreground: ok ? .green : .red)
        }
        return MessageMark(e, now: now, label: label, style: style, receiverDown: receiverDown, glyphs: g)
    }

    public static func legend(_ g: GlyphSet) -> [String] {
        [
            "\(g.leader) LEADER   \(g.candidate) candidate   \(g.follower) follower   \(g.crashed) crashed   \(g.pause) paused",
            "term N: current term   log N c=K: N entries, K committed   v:N: votes",
            "Small cards: t2 log 3/1 means term 2, 3 log entries, 1 committed.",
            "Bar: election timer left (a leader's: time to its next heartbeat, hb).",
            "RV RequestVote  V\(g.check)/V\(g.cross) vote yes/no  hb heartbeat  AE+N N entries",
            "ok/no: AppendEntries replies.  \(g.lostMessage) after a label: the message is lost (or its receiver is down).",
        ]
    }
}
