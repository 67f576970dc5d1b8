import Canvas
import Patterns
import Simulation

/// A selected server in full: Figure 2's state, with the exact time left on its timer.
extension Raft {
    public static func details(of id: NodeID, in c: Cluster<RaftNode>, width: Int, glyphs g: GlyphSet) -> [StyledLine] {
        let n = c.nodes[id]
        let name = c.name(id)
        var role = n.role == .leader ? "LEADER" : n.role.rawValue
        if !c.isUp[id] { role = "crashed (keeps term, vote and log)" }
        else if c.isPaused[id] { role = "paused, was \(role); \(c.waiting(at: id)) messages waiting" }
        var head = "\(name) \(role) \(g.bullet) term \(n.currentTerm) \(g.bullet) voted for \(n.votedFor.map(c.name) ?? "nobody")"
        if let l = n.leaderID, n.role != .leader { head += " \(g.bullet) follows \(c.name(l))" }
        var lines: [StyledLine] = [[Span(head, .bold)]]

        if c.isUp[id] {
            let kind: RaftTimer = n.role == .leader ? .heartbeat : .election
            let what = n.role == .leader ? "next heartbeat" : "election timeout"
            if let (armed, deadline) = c.timer(kind, of: id) {
                let left = deadline >= c.now ? "in \(SimDuration.format(deadline - c.now))" : "overdue by \(SimDuration.format(c.now - deadline)) (paused)"
                lines.append([Span("\(what) \(left)", Style(bold: true)),
                              Span(" of \(SimDuration.format(deadline - armed)), set at t=\(SimDuration.format(armed))", .dim)])
            } else {
                lines.append([Span("no timer running", .dim)])
            }
        }
        if n.role == .candidate {
            let majority = c.size / 2 + 1
            let from = n.votes.sorted().map(c.name).joined(separator: " ")
            lines.append([Span("votes from \(from): \(n.votes.count) of the \(majority) it needs")])
        }
        lines.append([Span("log \(n.log.count) \(n.log.count == 1 ? "entry" : "entries"), committed through \(n.commitIndex), applied \(n.applied.count): ")]
                     + RaftLogs.line(for: n, now: c.now, width: max(10, width - 40), glyphs: g))
        if n.role == .leader, c.isUp[id], n.nextIndex.count == c.size {
            let peers = (0..<c.size).filter { $0 != id }
            lines.append([Span("nextIndex ", .dim), Span(peers.map { "\(c.name($0))=\(n.nextIndex[$0])" }.joined(separator: " "))])
            lines.append([Span("matchIndex ", .dim), Span(peers.map { "\(c.name($0))=\(n.matchIndex[$0])" }.joined(separator: " "))])
        }
        return lines
    }
}
