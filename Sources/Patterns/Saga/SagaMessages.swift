import Simulation

/// What a saga is about: who buys what for how much. It travels with every message, so a
/// service needs no shared state to act on a step.
public struct SagaOrder: Sendable, Equatable {
    public var saga: Int
    public var customer: Int
    public var item: Int
    public var amount: Int
}

/// A message that goes through the broker: a command and its reply (orchestration) or an event
/// (choreography).
public struct Post: Sendable, Equatable {
    public enum What: Sendable, Equatable {
        /// Do (or, with `undo`, compensate) step `step`.
        case command(step: Int, undo: Bool)
        /// How a command ended.
        case reply(step: Int, undo: Bool, Outcome)
        /// Choreography: a service tells whoever listens what happened to its step.
        case event(step: Int, Fact)
    }
    public enum Outcome: Sendable, Equatable {
        case done
        /// A business refusal: final.
        case refused(Refusal)
        /// A transient failure: the same command may succeed later.
        case transient(Refusal)
    }
    public enum Fact: UInt8, Sendable, Equatable { case done, failed, undone }

    /// The message's identity: the same for every redelivery, duplicate and re-publication
    /// of it, so a consumer can tell a copy from a new message.
    public var id: Int
    public var to: NodeID
    public var order: SagaOrder
    public var what: What
    /// Which try of a step this is (a retried command is a new message).
    public var attempt: Int
    /// The broker's number for this copy of the message (0 until it is stored): what the
    /// consumer acknowledges. A message published twice is stored twice, as two copies.
    public var tag = 0

    init(to: NodeID, order: SagaOrder, what: What, attempt: Int = 1) {
        self.to = to; self.order = order; self.what = what; self.attempt = attempt
        let code: Int = switch what {
        case let .command(_, undo): undo ? 1 : 0
        case let .reply(_, undo, _): undo ? 3 : 2
        case let .event(_, fact): 4 + Int(fact.rawValue)
        }
        let step: Int = switch what {
        case let .command(s, _), let .reply(s, _, _), let .event(s, _): s
        }
        id = ((order.saga * 64 + step) * 8 + code) * 1_024 + attempt % 1_024
    }

    public var step: Int {
        switch what { case let .command(s, _), let .reply(s, _, _), let .event(s, _): s }
    }
}

public enum SagaMessage: Sendable, CustomStringConvertible {
    /// A producer hands a message to the broker.
    case publish(Post)
    /// The broker has it: the producer may forget it (or mark its outbox row sent).
    case published(Int)
    /// The broker hands a message to its consumer (again, if it was not acknowledged in time).
    case deliver(Post, copy: Int)
    /// The consumer is done with it: the broker forgets it.
    case ack(Int)

    public var description: String {
        switch self {
        case .publish(let p): "publish \(p.label)"
        case .published: "stored"
        case let .deliver(p, copy): p.label + (copy > 1 ? " (again)" : "")
        case .ack: "ack"
        }
    }
}

extension Post {
    /// `s3 charge`, `s3 charge ok`, `s3 reserved`: short enough for a wire.
    public var label: String {
        let s = "s\(order.saga)"
        switch what {
        case let .command(step, undo): return "\(s) \(undo ? "undo" : "do") #\(step + 1)"
        case let .reply(step, undo, o):
            let r: String = switch o { case .done: "ok"; case .refused: "no"; case .transient: "later" }
            return "\(s) #\(step + 1)\(undo ? " undo" : "") \(r)"
        case let .event(step, fact): return "\(s) #\(step + 1) \(fact == .done ? "done" : fact == .failed ? "failed" : "undone")"
        }
    }
}
