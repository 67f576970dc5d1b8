import Simulation

/// The services a saga runs through, and what each can do to its own database. Every action is
/// one local transaction; the ones that can be undone name their compensation.
public enum SagaService: String, Sendable, CaseIterable {
    case order, inventory, payment, shipping
}

public enum SagaAction: String, Sendable, CaseIterable {
    case create = "order.create"
    case approve = "order.approve"
    case reserve = "inventory.reserve"
    case confirm = "inventory.confirm"
    case charge = "payment.charge"
    case schedule = "shipping.schedule"

    public var service: SagaService {
        switch self {
        case .create, .approve: .order
        case .reserve, .confirm: .inventory
        case .charge: .payment
        case .schedule: .shipping
        }
    }

    /// The action's own name at its service (`charge`).
    public var verb: String { String(rawValue.split(separator: ".")[1]) }

    /// What undoes it, or nil: approving an order or confirming a reservation is not undone, so
    /// such a step belongs after the pivot.
    public var compensation: String? {
        switch self {
        case .create: "reject"
        case .reserve: "release"
        case .charge: "refund"
        case .schedule: "cancel"
        case .approve, .confirm: nil
        }
    }

    /// The row this service keeps for a saga, after the action and after its compensation.
    var after: RowState {
        switch self {
        case .create: .pending
        case .approve: .approved
        case .reserve: .reserved
        case .confirm: .reserved
        case .charge: .charged
        case .schedule: .scheduled
        }
    }
    var undone: RowState {
        switch self {
        case .create: .rejected
        case .reserve: .released
        case .charge: .refunded
        case .schedule: .cancelled
        case .approve, .confirm: .rejected
        }
    }

    /// An action or a compensation named as a lesson writes it (`charge`, `refund`).
    public static func named(_ word: String, at service: SagaService) -> (SagaAction, undo: Bool)? {
        for a in allCases where a.service == service {
            if a.verb == word { return (a, false) }
            if a.compensation == word { return (a, true) }
        }
        return nil
    }
}

/// A step of the saga: an action, and where it stands against the pivot. Garcia-Molina and
/// Salem's saga is a list of steps each with a compensation; a pivot step is the point of no
/// return (after it succeeds the saga must finish), and the steps after it are retried until
/// they succeed.
public struct SagaStep: Sendable, Equatable {
    public enum Kind: String, Sendable { case compensatable, pivot, retriable }
    public var action: SagaAction
    public var kind: Kind
    /// `C`, `P` or `R`, as the scene marks the step.
    public var mark: String { kind == .compensatable ? "C" : kind == .pivot ? "P" : "R" }
}

/// The state of one service's row for one saga.
public enum RowState: String, Sendable, CaseIterable {
    case pending = "PENDING", approved = "APPROVED", rejected = "REJECTED"
    case reserved = "RESERVED", released = "RELEASED"
    case charged = "CHARGED", refunded = "REFUNDED"
    case scheduled = "SCHEDULED", cancelled = "CANCELLED"
    /// Deleted by a clean-up job (`delete order N`): only change data capture can tell.
    case deleted = "DELETED"
}

/// Why a service said no.
public enum Refusal: UInt8, Sendable {
    case none, injected, insufficientFunds, outOfStock, locked, unknownRow
    public var text: String {
        switch self {
        case .none: ""
        case .injected: "injected failure"
        case .insufficientFunds: "insufficient funds"
        case .outOfStock: "out of stock"
        case .locked: "PENDING elsewhere"
        case .unknownRow: "no such row yet"
        }
    }
}
