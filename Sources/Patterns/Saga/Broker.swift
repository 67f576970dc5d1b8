import Simulation

/// The broker's durable queues: every message it has stored and not yet had acknowledged.
/// Delivery is at least once: a message is delivered, and delivered again each time
/// `redelivery` passes without an acknowledgement; it may also be duplicated or held back
/// (reordered) on purpose, as a lesson sets.
public struct BrokerQueue: Sendable {
    public struct Held: Sendable {
        public var post: Post
        /// Deliveries so far (0: still waiting for its first).
        public var copies: Int
        public var due: SimTime
    }
    /// By the broker's tag of each stored copy.
    public internal(set) var held: [Int: Held] = [:]
    var nextTag = 0
    /// Ids in the order they arrived, for the screen (pruned lazily).
    public internal(set) var arrival: [Int] = []

    /// Messages not yet delivered once.
    public var waiting: Int { held.values.filter { $0.copies == 0 }.count }
    /// Messages delivered and not yet acknowledged.
    public var unacked: Int { held.values.filter { $0.copies > 0 }.count }

    mutating func acknowledge(_ tag: Int, counts: inout SagaCounts) {
        guard held.removeValue(forKey: tag) != nil else { return }
        counts.acked += 1
        if arrival.count > 2 * held.count + 64 { arrival.removeAll { held[$0] == nil } }
    }

    /// After a restart the queues are read back from disk and every message not yet
    /// acknowledged is delivered (again) now.
    mutating func reschedule(now: SimTime, into agenda: inout MinHeap<SagaNode.Due>) {
        for tag in held.keys { held[tag]!.due = now }
        agenda = MinHeap()
        for tag in held.keys.sorted() { agenda.insert(SagaNode.Due(time: now, key: tag)) }
    }

    /// Messages in arrival order, for the screen.
    public var inOrder: [Held] { arrival.compactMap { held[$0] } }
}

extension SagaNode {
    mutating func store(_ p: Post, from: NodeID, _ io: inout NodeIO<SagaNode>) {
        io.send(.published(p.id), to: from)
        // A message published again (an outbox relay after a crash) is stored again: the
        // broker does not know it is the same message. Telling copies apart is the consumer's job.
        var p = p
        counts.stored += 1
        queue.nextTag += 1
        p.tag = queue.nextTag
        var due = io.localNow
        if config.reorderPPM > 0, io.random(below: 1_000_000) < config.reorderPPM {
            due += 100_000 + io.random(in: 0...400_000)
        }
        queue.held[p.tag] = BrokerQueue.Held(post: p, copies: 0, due: due)
        queue.arrival.append(p.tag)
        agenda.insert(Due(time: due, key: p.tag))
    }

    mutating func deliverDue(_ tag: Int, _ io: inout NodeIO<SagaNode>) {
        guard var h = queue.held[tag], h.due <= io.localNow else { return }
        h.copies += 1
        counts.delivered += 1
        if h.copies > 1 { counts.redeliveries += 1 }
        io.send(.deliver(h.post, copy: h.copies), to: h.post.to)
        if config.duplicatePPM > 0, io.random(below: 1_000_000) < config.duplicatePPM {
            counts.duplicated += 1
            io.send(.deliver(h.post, copy: h.copies), to: h.post.to)
        }
        h.due = io.localNow + config.redelivery
        queue.held[tag] = h
        agenda.insert(Due(time: h.due, key: tag))
    }
}
