/// Values in an array whose places are reused, each named by a handle (its place and a serial
/// number) that goes stale when the place is reused. A service has thousands of requests and
/// calls at once, created and finished at a thousand a second: a dictionary keyed by id spent a
/// sixth of the simulation hashing.
struct Slab<T: Sendable>: Sendable {
    private var items: [T?] = []
    private var serials: [Int] = []
    private var free: [Int] = []
    private var serial = 0
    private(set) var count = 0

    static var slotBits: Int { 24 }

    /// Stores `value` and returns its handle.
    mutating func insert(_ value: T) -> Int {
        serial += 1
        let slot: Int
        if let f = free.popLast() { slot = f; items[slot] = value; serials[slot] = serial }
        else { slot = items.count; items.append(value); serials.append(serial) }
        count += 1
        return serial << Self.slotBits | slot
    }

    @inline(__always) private func place(_ handle: Int) -> Int? {
        let slot = handle & (1 << Self.slotBits - 1)
        return slot < items.count && serials[slot] == handle >> Self.slotBits && items[slot] != nil ? slot : nil
    }

    /// A copy of the value (`read` and `update` work in place: a request's `Job` is about
    /// 100 bytes, and through this getter and setter marking one admitted copied it out and
    /// back, with the handle checked twice).
    subscript(handle: Int) -> T? {
        get { place(handle).flatMap { items[$0] } }
        set {
            guard let slot = place(handle) else { return }
            if let newValue { items[slot] = newValue } else { _ = remove(handle) }
        }
    }

    /// Whether `handle` names a value still here, without copying it.
    @inline(__always) func contains(_ handle: Int) -> Bool { place(handle) != nil }

    /// Reads part of a value in place (nil for a stale handle).
    @inline(__always) func read<R>(_ handle: Int, _ body: (T) -> R) -> R? {
        guard let slot = place(handle) else { return nil }
        return body(items[slot]!)
    }

    /// Changes a value in place and returns what `body` does (nil for a stale handle).
    @discardableResult
    @inline(__always) mutating func update<R>(_ handle: Int, _ body: (inout T) -> R) -> R? {
        guard let slot = place(handle) else { return nil }
        return body(&items[slot]!)
    }

    @discardableResult
    mutating func remove(_ handle: Int) -> T? {
        guard let slot = place(handle) else { return nil }
        let v = items[slot]
        items[slot] = nil
        free.append(slot)
        count -= 1
        return v
    }

    /// Empties it; handles given out before stay stale (the serial goes on counting).
    mutating func removeAll() { let s = serial; self = Slab(); serial = s }

    var values: [T] { items.compactMap { $0 } }
}
