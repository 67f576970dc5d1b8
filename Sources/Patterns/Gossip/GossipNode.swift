import Simulation

/// One gossiping node: a few keys it knows (each a value at a version), which of them it is
/// still spreading ("hot"), and a round timer. Rumor mongering, pull and push-pull as in Demers
/// et al. 1987; anti-entropy as a digest exchange that moves only what is newer.
public struct GossipNode: NodeModel {
    public struct Item: Sendable, Equatable {
        public var key: String
        public var value: String
        public var version: Version
        /// Still being spread (a rumor this node has not lost interest in).
        public var hot: Bool
        /// Unnecessary contacts so far (the counter of rumor mongering).
        public var misses: Int
        /// True simulated time this node learned this version (for the round chart).
        public var learnedAt: SimTime
    }

    public struct Update: Sendable, Equatable {
        public var key: String
        public var value: String
        public var version: Version
    }

    public struct Digest: Sendable, Equatable {
        public var key: String
        public var version: Version
    }

    public enum Message: Sendable, CustomStringConvertible {
        /// Hot rumors, pushed.
        case push([Update])
        /// "What do you have that is newer than this?"
        case pull([Digest])
        /// Hot rumors pushed and a digest, in one exchange.
        case pushPull([Update], [Digest])
        /// The answer to a pull (newer updates), with the pushed keys the sender already knew
        /// (the feedback that makes a contact unnecessary).
        case reply([Update], known: [String])
        /// Anti-entropy: everything this node has, as key → version.
        case digest([Digest])
        /// Anti-entropy's answer: what is newer here, and the keys the other side has newer.
        case repair([Update], want: [String])
        /// Anti-entropy's last leg: what was wanted.
        case fill([Update])

        public var description: String {
            switch self {
            case .push(let u): "push \(Self.list(u))"
            case .pull(let d): "pull " + Self.digestText(d)
            case .pushPull(let u, _): "push-pull \(Self.list(u))"
            case .reply(let u, let k): (u.isEmpty ? "reply: nothing new" : "reply \(Self.list(u))") + (k.isEmpty ? "" : "; already knew \(k.joined(separator: " "))")
            case .digest(let d): "digest " + Self.digestText(d)
            case .repair(let u, let w): "repair \(Self.list(u))" + (w.isEmpty ? "" : " want \(w.joined(separator: " "))")
            case .fill(let u): "fill \(Self.list(u))"
            }
        }

        static func digestText(_ d: [Digest]) -> String {
            d.isEmpty ? "(knows nothing)" : d.map { "\($0.key)@\($0.version)" }.joined(separator: " ")
        }

        static func list(_ u: [Update]) -> String {
            u.isEmpty ? "(nothing)" : u.map { "\($0.key)=\($0.value)@\($0.version)" }.joined(separator: " ")
        }
    }

    public enum Timer: Int, TimerKind {
        case round, antiEntropy
        public static let slotCount = 2
        public var description: String { self == .round ? "round" : "anti-entropy" }
    }

    public let id: NodeID
    public internal(set) var config: GossipConfig
    public private(set) var items = Few<Item>()
    /// Rounds this node has taken part in.
    public private(set) var rounds = 0
    /// Messages this node has sent (to compare the traffic of push and push-pull).
    public private(set) var sent = 0
    /// Whom it contacted in its last round, for the screen.
    public private(set) var lastContacts = Few<NodeID>()
    let size: Int
    /// The hot rumors as they travel: `hotUpdates()`'s last answer, or the list a push brought
    /// when it is exactly what this node now spreads (`adoptHotList`), until an item changes.
    var hotCache: [Update]?
    /// Whether its round timer is set. In push mode a node with nothing hot has nothing to do
    /// in a round, so it sets no timer until it has: at 100,000 nodes that halves the events.
    var roundArmed = false
    var needsRounds: Bool { config.mode != .push || hotCount > 0 }
    /// Items still hot, counted as they change: asked before every round.
    private var hotCount = 0
    /// Informed (knows the watched write) and spreading (hot about anything), summed by the
    /// cluster so `all informed` and `spreading == 0` cost nothing per event. Stored, not
    /// computed: the cluster reads it around every handler call, and computing it there copied
    /// the whole node (15 % of a 100,000-node run).
    public private(set) var tally = Tally()

    mutating func refreshTally() {
        let t = Tally(first: informed ? 1 : 0, second: spreadingWatched && !down ? 1 : 0)
        if t != tally { tally = t }
    }

    public init(id: NodeID, clusterSize: Int, config: GossipConfig) {
        self.id = id; self.size = clusterSize; self.config = config
    }

    public func item(_ key: String) -> Item? { place(of: key).map { items[$0] } }
    public var isHot: Bool { hotCount > 0 }
    /// Where `key` is in `items`. A loop of its own: asked on every message, and a node's
    /// method taking a closure made the optimiser copy the whole node to call it.
    @inline(__always) func place(of key: String) -> Int? {
        var k = 0
        while k < items.count { if items.read(k, { $0.key == key }) { return k }; k += 1 }
        return nil
    }
    /// Where the watched write's version (or a newer one) is in `items`, if this node knows it.
    /// Inlined, as `place(of:)` is: through a call the optimiser copied the whole node (300
    /// bytes, its buffers' reference counts touched) on every rumor learned.
    @inline(__always) var watchedPlace: Int? {
        guard let w = config.watched, let k = place(of: w.key), items.read(k, { $0.version >= w.version }) else { return nil }
        return k
    }
    /// Still spreading the write the screen follows (a node may still push an older rumor).
    @inline(__always) public var spreadingWatched: Bool { watchedPlace.map { items.read($0) { $0.hot } } ?? false }
    /// Crashed: what it knows survives, but it spreads nothing until it restarts.
    var down = false

    /// Whether this node knows the watched rumor (that version or a newer one).
    @inline(__always) public var informed: Bool { watchedPlace != nil }

    // MARK: NodeModel

    public mutating func boot(_ io: inout NodeIO<Self>) {
        lastContacts = []
        down = false
        refreshTally()
        roundArmed = false
        armRoundIfNeeded(&io)
        if let ae = config.antiEntropy { io.setTimer(.antiEntropy, after: 1 + io.random(in: 0...(ae - 1))) }
    }

    /// The first round after a node has something to do: at a random phase in the period (or
    /// the next boundary, in strict rounds), so nodes do not act in step.
    mutating func armRoundIfNeeded(_ io: inout NodeIO<Self>) {
        guard needsRounds, !roundArmed else { return }
        let p = config.period
        io.setTimer(.round, after: config.strictRounds ? p - io.localNow % p : 1 + io.random(in: 0...(p - 1)))
        roundArmed = true
    }

    /// What a node keeps survives a crash (it is on disk); its timers do not.
    public mutating func crash() { lastContacts = []; roundArmed = false; down = true; refreshTally() }

    public mutating func fire(_ timer: Timer, _ io: inout NodeIO<Self>) {
        switch timer {
        case .round:
            roundArmed = false
            round(&io)
            guard needsRounds else { break }
            let p = config.period
            if config.strictRounds {
                io.setTimer(.round, after: p - io.localNow % p)
            } else {
                let j = p * SimTime(config.jitterPercent) / 100
                io.setTimer(.round, after: max(1, p - j + (j > 0 ? io.random(in: 0...(2 * j)) : 0)))
            }
            roundArmed = true
        case .antiEntropy:
            if let peer = onePeer(&io) {
                send(.digest(items.map { Digest(key: $0.key, version: $0.version) }), to: peer, &io)
            }
            if let ae = config.antiEntropy { io.setTimer(.antiEntropy, after: ae) }
        }
    }

    mutating func round(_ io: inout NodeIO<Self>) {
        rounds += 1
        let hot = hotUpdates()
        if config.mode == .push && hot.isEmpty { lastContacts.removeAll(keepingCapacity: true); return }
        choosePeers(config.fanout, &io)
        // The digest only where it is sent: a push round at 100,000 nodes builds nothing.
        let digest = config.mode == .push ? [] : items.map { Digest(key: $0.key, version: $0.version) }
        for peer in lastContacts {
            switch config.mode {
            case .push: send(.push(hot), to: peer, &io)
            case .pull: send(.pull(digest), to: peer, &io)
            case .pushPull: send(.pushPull(hot, digest), to: peer, &io)
            }
            // Blind: every contact counts against a pushed rumor, answered or not.
            if config.mode != .pull && !config.feedback { for u in hot { miss(u.key, &io) } }
        }
    }

    /// The hot rumors as they travel, built once and shared by every message until they change.
    mutating func hotUpdates() -> [Update] {
        if let cached = hotCache { return cached }
        let built = items.filter(\.hot).map { Update(key: $0.key, value: $0.value, version: $0.version) }
        hotCache = built
        return built
    }

    public mutating func receive(_ m: Message, from peer: NodeID, _ io: inout NodeIO<Self>) {
        handle(m, from: peer, &io)
        armRoundIfNeeded(&io)
    }

    mutating func handle(_ m: Message, from peer: NodeID, _ io: inout NodeIO<Self>) {
        switch m {
        case .push(let updates):
            // Feedback only matters to a sender that can lose interest.
            let answers = config.feedback && config.interest != .forever
            let known = learn(updates, from: peer, listingKnown: answers, &io)
            adoptHotList(updates)
            if answers { send(.reply([], known: known), to: peer, &io) }
        case .pull(let digest):
            send(.reply(answer(digest, &io), known: []), to: peer, &io)
        case let .pushPull(updates, digest):
            let known = learn(updates, from: peer, listingKnown: config.feedback, &io)
            send(.reply(answer(digest, &io), known: config.feedback ? known : []), to: peer, &io)
        case let .reply(updates, known):
            learn(updates, from: peer, listingKnown: false, &io)
            for k in known { miss(k, &io) }
        case .digest(let theirs):
            let newer = answer(theirs, onlyHot: false, &io)
            let want = theirs.filter { d in item(d.key).map { $0.version < d.version } ?? true }.map(\.key)
            send(.repair(newer, want: want), to: peer, &io)
        case let .repair(updates, want):
            learn(updates, from: peer, hot: false, listingKnown: false, &io)
            let fill = items.filter { want.contains($0.key) }.map { Update(key: $0.key, value: $0.value, version: $0.version) }
            if !fill.isEmpty { send(.fill(fill), to: peer, &io) }
        case .fill(let updates):
            learn(updates, from: peer, hot: false, listingKnown: false, &io)
        }
    }

    /// After a setting changed mid-lesson: anti-entropy that was just turned on starts its
    /// timer (it was armed only at boot), and turned off stops it.
    public mutating func settingsChanged(_ io: inout NodeIO<Self>) {
        if let ae = config.antiEntropy { io.setTimer(.antiEntropy, after: 1 + io.random(in: 0...(ae - 1))) }
        else { io.cancelTimer(.antiEntropy) }
    }

    // MARK: Writes

    /// A write here: the key's next version, hot (a rumor) or not (left to anti-entropy).
    public mutating func write(_ key: String, _ value: String, rumor: Bool, _ io: inout NodeIO<Self>) -> Version {
        let v = Version((item(key)?.version.counter ?? 0) + 1, origin: id)
        store(Update(key: key, value: value, version: v), hot: rumor, at: io.trueNow)
        io.note("wrote \(key)=\(value) \(v)\(rumor ? ", spreading it" : "")")
        armRoundIfNeeded(&io)
        return v
    }

    // MARK: Internals

    /// Stores what is newer; returns the keys it already had at that version or newer, when
    /// `listingKnown` (only feedback needs them: listing them for every push that brings
    /// nothing new allocated a list per message, a tenth of a 100,000-node experiment).
    /// What arrives by rumor becomes a rumor here too (hot); what anti-entropy repairs does
    /// not, so a write made without a rumor is carried by anti-entropy alone.
    @discardableResult
    mutating func learn(_ updates: [Update], from peer: NodeID, hot: Bool = true, listingKnown: Bool, _ io: inout NodeIO<Self>) -> [String] {
        var known: [String] = []
        for u in updates {
            if let k = place(of: u.key), items.read(k, { $0.version >= u.version }) {
                if listingKnown { known.append(u.key) }
                continue
            }
            store(u, hot: hot, at: io.trueNow)
        }
        return known
    }

    mutating func store(_ u: Update, hot: Bool, at time: SimTime) {
        hotCache = nil
        let i = Item(key: u.key, value: u.value, version: u.version, hot: hot, misses: 0, learnedAt: time)
        if let k = place(of: u.key) {
            if items[k].hot { hotCount -= 1 }
            items[k] = i
        } else {
            items.append(i)
        }
        if hot { hotCount += 1 }
        refreshTally()
    }

    /// After a push: when this node's hot rumors are now exactly the ones pushed, it keeps the
    /// pushed list as its own instead of building a copy. Every node spreading the same rumor then
    /// shares one buffer, and taking a reference to it for each message stays in the cache; a
    /// list per node made each round's first touch of it a cache miss at 100,000 nodes.
    mutating func adoptHotList(_ updates: [Update]) {
        guard hotCache == nil, hotCount == updates.count else { return }
        var next = 0
        for i in items where i.hot {
            let u = updates[next]
            guard u.key == i.key, u.version == i.version, u.value == i.value else { return }
            next += 1
        }
        hotCache = updates
    }

    /// What this node has newer than `digest`: hot rumors only (rumor mongering's pull), or
    /// everything (anti-entropy). A hot rumor the asker already has is an unnecessary contact.
    mutating func answer(_ digest: [Digest], onlyHot: Bool = true, _ io: inout NodeIO<Self>) -> [Update] {
        var out: [Update] = []
        for i in items where !onlyHot || i.hot {
            let theirs = digest.first { $0.key == i.key }?.version
            if let theirs, theirs >= i.version {
                if onlyHot && i.hot && config.feedback { miss(i.key, &io) }
                continue
            }
            out.append(Update(key: i.key, value: i.value, version: i.version))
            if onlyHot && i.hot && !config.feedback { miss(i.key, &io) }
        }
        return out
    }

    /// An unnecessary contact for a hot rumor: maybe lose interest.
    mutating func miss(_ key: String, _ io: inout NodeIO<Self>) {
        guard let k = place(of: key), items[k].hot else { return }
        items[k].misses += 1
        let lose: Bool
        switch config.interest {
        case .forever: lose = false
        case .counter(let n): lose = items[k].misses >= n
        case .coin(let n): lose = io.random(below: n) == 0
        }
        if lose { items[k].hot = false; hotCount -= 1; hotCache = nil; refreshTally() }
    }

    /// `k` distinct peers, uniformly among all others or among the graph's neighbours, into
    /// `lastContacts` (reused: a round allocates nothing once it has room).
    mutating func choosePeers(_ k: Int, _ io: inout NodeIO<Self>) {
        lastContacts.removeAll(keepingCapacity: true)
        let available = config.neighbours.isEmpty ? size - 1 : config.neighbours[id].count
        let want = min(k, available)
        while lastContacts.count < want {
            guard let p = onePeer(&io) else { return }
            if !lastContacts.contains(p) { lastContacts.append(p) }
        }
    }

    /// One peer, uniformly among all others or among the graph's neighbours.
    mutating func onePeer(_ io: inout NodeIO<Self>) -> NodeID? {
        if config.neighbours.isEmpty { return io.randomPeer() }
        let pool = config.neighbours[id]
        return pool.isEmpty ? nil : pool[io.random(below: pool.count)]
    }

    mutating func send(_ m: Message, to peer: NodeID, _ io: inout NodeIO<Self>) {
        sent += 1
        io.send(m, to: peer)
    }
}
