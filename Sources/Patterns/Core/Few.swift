/// A short list whose first element is kept in the value itself and any others in an array.
///
/// A gossip node usually knows one rumor, pushes it to one peer and remembers one contact. As an
/// `Array` of one, each of those sits behind a pointer: at 100,000 nodes every round read a
/// buffer elsewhere in memory (a cache miss), and every message that carried the rumor touched
/// the sender's buffer again to count a reference. Kept inline, the common case costs neither;
/// more elements than one still work, in an array behind the first.
public struct Few<Element>: RandomAccessCollection, MutableCollection, RangeReplaceableCollection, ExpressibleByArrayLiteral {
    /// Nil only when the list is empty (then `rest` is empty too).
    private var head: Element?
    private var rest: [Element] = []

    public init() {}
    public init(arrayLiteral elements: Element...) { self.init(elements) }

    public var startIndex: Int { 0 }
    public var endIndex: Int { head == nil ? 0 : 1 + rest.count }
    public var isEmpty: Bool { head == nil }
    public var first: Element? { head }

    public subscript(i: Int) -> Element {
        get { i == 0 ? head! : rest[i - 1] }
        set { if i == 0 { head = newValue } else { rest[i - 1] = newValue } }
    }

    /// Reads element `i` in place: `items.read(k) { $0.key == key }` looks at one field
    /// without copying the element first (the subscript's getter returns a copy, which for a
    /// gossip item retained and released its two strings on every comparison).
    @inline(__always) public func read<R>(_ i: Int, _ body: (Element) -> R) -> R {
        if i == 0 {
            switch head {
            case .some(let h): return body(h)
            case .none: preconditionFailure("Few: index 0 of an empty list")
            }
        }
        return rest.withUnsafeBufferPointer { body($0[i - 1]) }
    }

    public mutating func append(_ e: Element) {
        if head == nil { head = e } else { rest.append(e) }
    }

    public mutating func removeAll(keepingCapacity keep: Bool = false) {
        head = nil
        // The usual list of one has nothing behind it: emptying the empty array still cost a
        // call and a release, every gossip round.
        if !rest.isEmpty { rest.removeAll(keepingCapacity: keep) }
    }

    /// The general edit, through an array: the inline case is for lists of one, and they are
    /// built by `append`.
    public mutating func replaceSubrange<C: Collection>(_ r: Range<Int>, with new: C) where C.Element == Element {
        var all = Array(self)
        all.replaceSubrange(r, with: new)
        head = all.first
        rest = Array(all.dropFirst())
    }
}

extension Few: Sendable where Element: Sendable {}
extension Few: Equatable where Element: Equatable {
    public static func == (a: Few, b: Few) -> Bool { a.elementsEqual(b) }
}
