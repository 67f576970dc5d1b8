import Simulation

/// Policies changed mid-lesson (`set`, `breaker`): what a node keeps and what starts afresh.
extension ServiceNode {
    /// Applies a setting already checked by the command's parser, if `target` covers this node.
    mutating func apply(_ s: Settings, key: String, target: Resilience.Target) {
        let mine: Bool
        switch target {
        case .everything: mine = true
        case .service(let n): mine = n == id
        case .edge(let l): mine = l.from == id
        }
        guard mine else { return }
        if Resilience.serviceKeys.contains(key) {
            // The parser refused service keys on an edge, so here the target is this service.
            try? Resilience.apply(s, service: &spec)
            if key == "rate-limit" { tokens = Double(spec.rateLimit?.burst ?? 0); tokensAt = lastNow }
        }
        guard Resilience.edgeKeys.contains(key) else { return }
        for k in edges.indices {
            if case .edge(let l) = target, l.to != edges[k].callee { continue }
            let before = edges[k].policy
            try? Resilience.apply(s, edge: &edges[k].policy)
            let after = edges[k].policy
            if before.breakerOn != after.breakerOn || before.breakerState != after.breakerState {
                edges[k].resetBreaker()
            } else if before.breaker != after.breaker {
                edges[k].breaker?.reconfigure(after.breaker)
            }
        }
    }

    /// After a `set` that shrank a queue: requests beyond the new bound are refused as full,
    /// the newest first (the oldest first under drop-oldest), so the row never shows more
    /// waiting than the limit.
    mutating func trimQueues(_ io: inout NodeIO<ServiceNode>) {
        for pool in [nil] + edges.indices.map(Optional.some) {
            let (_, limit) = capacity(of: pool)
            guard let limit else { continue }
            while withPool(pool, { $0.queued }) > limit {
                let oldestFirst = spec.overflow == .dropOldest
                let dropped = withPool(pool) { p in oldestFirst ? p.waiting.removeFirst() : p.waiting.removeLast() }
                finish(dropped, .full, &io)
            }
        }
        arm(&io)
    }

    /// An operator's hand on a breaker (Resilience4j's transitionTo… and reset).
    mutating func forceBreaker(_ k: Int, _ state: CircuitBreaker.State?, _ io: inout NodeIO<ServiceNode>) {
        guard edges[k].breaker != nil else { return }
        if let state {
            edges[k].breaker!.force(state, at: io.localNow, "moved by hand to \(state.rawValue)")
        } else {
            edges[k].breaker = CircuitBreaker(edges[k].policy.breaker)
            edges[k].breaker!.force(.closed, at: io.localNow, "reset by hand: closed, window emptied")
        }
        noteTransition(k, &io)
        arm(&io)
    }
}
