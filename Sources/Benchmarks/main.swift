import App
import Canvas
import Foundation
import Lessons
import Patterns
import Simulation
import Scenes

// Benchmarks for the figures in the README. Medians of repeated runs; wall-clock time, so run
// them on a quiet machine and in release mode.

func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

func median(_ xs: [Double]) -> Double { let s = xs.sorted(); return s[s.count / 2] }

/// `BENCH_RUNS=1` runs each measurement once (for counting instructions under callgrind).
let runsOverride = ProcessInfo.processInfo.environment["BENCH_RUNS"].flatMap { Int($0) }

func measure(_ runs: Int, _ body: () -> Void) -> Double {
    median((0..<(runsOverride ?? runs)).map { _ in let t = now(); body(); return now() - t })
}

/// Resident memory now and at its peak, in MB, from /proc/self/status.
func memory() -> (rss: Double, peak: Double) {
    let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
    func field(_ name: String) -> Double {
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(name) }) else { return 0 }
        return Double(line.split(separator: " ").dropFirst().first { !$0.isEmpty }.map(String.init) ?? "0").map { $0 / 1024 } ?? 0
    }
    return (field("VmRSS:"), field("VmHWM:"))
}

func simulate(nodes: Int, seconds: Int64, config: RaftConfig = RaftConfig()) -> Int {
    var c = Cluster<RaftNode>(size: nodes, config: config, seed: 42, journal: Journal(.off))
    c.advance(to: seconds * 1_000_000)
    return c.eventsProcessed
}

/// The lesson path: the same workload written as a lesson, compiled and run the way `check` runs it.
func checkLesson<P: Pattern>(_: P.Type, _ frontmatter: String, run: String) -> Int {
    let text = "---\ntitle: bench\npattern: \(P.name)\nseed: 42\n\(frontmatter)\n---\n\n## Run\n\n```sim\n\(run)\n```\n"
    guard case .success(let lesson) = CompiledLesson<P>.compile(LessonDocument(file: "bench.md", name: "bench", text: text)) else {
        fatalError("benchmark lesson does not compile")
    }
    let outcome = LessonRun<P>.check(lesson)
    precondition(outcome.passed, outcome.failure ?? "benchmark lesson failed")
    return outcome.events
}

let which = Set(CommandLine.arguments.dropFirst())
func wanted(_ name: String) -> Bool { which.isEmpty || which.contains(name) }

func report(_ what: String, _ seconds: Double, _ events: Int) {
    print(what.padding(toLength: 50, withPad: " ", startingAt: 0)
          + String(format: " %9.2f ms  %9d events  %6.0f ns/event", seconds * 1000, events, seconds * 1e9 / Double(max(1, events))))
}

if wanted("sim") {
    var events = 0
    report("raft 5 nodes, 60 s, direct", measure(21) { events = simulate(nodes: 5, seconds: 60) }, events)
    report("raft 5 nodes, 60 s, lesson (check)", measure(21) { events = checkLesson(Raft.self, "nodes: 5", run: "run 60s") }, events)
    report("raft 101 nodes, 60 s, direct", measure(5) { events = simulate(nodes: 101, seconds: 60) }, events)
    report("raft 101 nodes, 60 s, lesson (check)", measure(5) { events = checkLesson(Raft.self, "nodes: 101", run: "run 60s") }, events)
}

if wanted("mechanisms") { benchmarkMechanisms() }

if wanted("raftscope") {
    // RaftScope's workload: 5 servers, 60 s, latency 10-15 ms, election timeouts 100-200 ms.
    var events = 0
    var config = RaftConfig()
    config.electionTimeout = 100_000...200_000
    report("raftscope workload, direct", measure(21) { events = simulate(nodes: 5, seconds: 60, config: config) }, events)
    report("raftscope workload, lesson (check)", measure(21) {
        events = checkLesson(Raft.self, "nodes: 5\nlatency: 10-15ms\nelection-timeout: 100-200ms", run: "run 60s")
    }, events)
}

// `gossip-direct` and `gossip-lesson` run one half each (to compare them under callgrind).
if wanted("gossip") || wanted("gossip-direct") || wanted("gossip-lesson") {
    // Push gossip, fanout 1, period 1 s, 100,000 nodes, 40 s (full spread takes about 30 rounds).
    var events = 0
    var informed = 0
    if !which.contains("gossip-lesson") {
        report("push gossip 100,000 nodes, 40 s, direct", measure(5) {
            var c = Cluster<PushGossipNode>(size: 100_000, config: .init(), seed: 42, journal: Journal(.off))
            c.advance(to: 40_000_000)
            events = c.eventsProcessed
            informed = c.nodes.reduce(0) { $0 + ($1.informed ? 1 : 0) }
        }, events)
        print("  (informed after 40 s: \(informed) of 100000)")
    }
    if !which.contains("gossip-direct") {
        report("push gossip 100,000 nodes, 40 s, lesson (check)", measure(5) {
            events = checkLesson(PushGossip.self, "nodes: 100000", run: "run 40s")
        }, events)
    }
}

func lessonModel(width: Int, height: Int) -> AppModel {
    let (name, text) = BuiltinLessons.all.first { $0.name == "raft-log-replication" }!
    guard case .success(let s) = Catalog.open(LessonDocument(file: name, name: name, text: text), atStep: 3) else { fatalError() }
    var p = PlayerState(session: s)
    p.playing = true
    p.freeRun = true
    return AppModel(screen: .player(p), width: width, height: height, glyphs: .unicode)
}

if wanted("frame") {
    // One frame as the player makes it: view the model, then diff against the previous frame.
    var model = lessonModel(width: 200, height: 60)
    var previous = model.view()
    var times: [Double] = []
    var changed = 0
    for _ in 0..<2_000 {
        model.update(.tick(33_000))
        let t = now()
        let frame = model.view()
        let changes = frame.changes(since: previous)
        times.append(now() - t)
        changed += changes.count
        previous = frame
    }
    print(String(format: "render + diff a 200x60 frame:   %8.3f ms median, %.3f ms p99  (%.1f changed rows/frame)",
                 median(times) * 1000, times.sorted()[times.count * 99 / 100] * 1000, Double(changed) / Double(times.count)))
}

func playForMemory(minutes: Int, requests: Bool) -> String {
    var model = lessonModel(width: 120, height: 40)
    let frames = minutes * 60 * 30
    var samples: [String] = []
    for f in 1...frames {
        model.update(.tick(33_333))
        if requests && f % 90 == 0 { model.update(.key(.char("r"))) }
        _ = model.view()
        if f % (frames / 5) == 0 { samples.append(String(format: "%.1f", memory().rss)) }
    }
    let simulated = model.player.map { SimDuration.format($0.session.now) } ?? "?"
    return "\(minutes) min of play (\(frames) frames, \(simulated) simulated\(requests ? ", a request every 3 s" : "")): RSS at each fifth \(samples.joined(separator: " ")) MB"
}

if wanted("diagram") {
    // 10 processes, 10,000 events with messages; then lay out and draw the visible window, as
    // each frame of the player does (the window at the newest events, and one scrolled back).
    // The clocks model lets old events go past 8,000 kept, so this is the largest history a
    // diagram ever has to draw.
    var c = Cluster<ClockNode>(size: 10, config: ClockConfig(), seed: 7, network: Network(latency: .uniform(2_000, 30_000)))
    var rng = SplitMix64(seed: 9)
    while c.nodes.reduce(0, { $0 + $1.eventCount }) < 10_000 {
        let a = Int(rng.next(below: 10))
        if rng.chance(ppm: 500_000) {
            var b = Int(rng.next(below: 9)); if b >= a { b += 1 }
            _ = Clocks.perform(.send(a, b, "m"), on: &c)
        } else {
            _ = Clocks.perform(.event(a, "x"), on: &c)
        }
        c.advance(to: c.now + rng.next(in: 100...3_000))
    }
    var view = DiagramView()
    let rect = Rect(x: 0, y: 0, width: 120, height: 40)
    let newest = measure(51) {
        var canvas = Canvas(width: 120, height: 40)
        Clocks.draw(c, view, in: rect, on: &canvas, SceneContext(glyphs: .unicode))
    }
    let h = History(c)
    view.selected = h.dropped + h.count / 2
    view.pinned = h.dropped + h.count / 2 - 10
    let selected = measure(51) {
        var canvas = Canvas(width: 120, height: 40)
        Clocks.draw(c, view, in: rect, on: &canvas, SceneContext(glyphs: .unicode))
    }
    print(String(format: "diagram, 10 processes, %d events (%d kept): layout + draw of the visible window %.3f ms (newest), %.3f ms (selection mid-history)",
                 h.dropped + h.count, h.count, newest * 1000, selected * 1000))
}

if wanted("memory-idle") {
    print("memory, " + playForMemory(minutes: 20, requests: false) + String(format: "; peak %.1f MB", memory().peak))
}

if wanted("memory") {
    // Ten minutes of real playing time at 30 frames per second, the cluster running freely, with
    // a client request every few seconds; every frame is drawn as the terminal would draw it.
    var model = lessonModel(width: 120, height: 40)
    let frames = 10 * 60 * 30
    var samples: [String] = []
    for f in 1...frames {
        model.update(.tick(33_333))
        if f % 90 == 0 { model.update(.key(.char("r"))) }
        _ = model.view()
        if f % (frames / 5) == 0 { samples.append(String(format: "%.1f", memory().rss)) }
    }
    let m = memory()
    let simulated = model.player.map { SimDuration.format($0.session.now) } ?? "?"
    print("memory, 10 min of play (\(frames) frames, \(simulated) simulated): RSS every 2 min \(samples.joined(separator: " ")) MB; peak \(String(format: "%.1f", m.peak)) MB")
}

if wanted("memory-1000") {
    // The player with 1,000 nodes: the push-gossip micro-pattern drawn as a dense grid at
    // 120x40, full speed (x1), 10 minutes of frames, with its undo history and bounded journal.
    let text = "---\ntitle: m\npattern: push-gossip\nnodes: 1000\n---\n\n## Free\n"
    guard case .success(let lesson) = CompiledLesson<PushGossip>.compile(LessonDocument(file: "m.md", name: "m", text: text)) else { fatalError() }
    var p = PlayerState(session: Session(LessonRun<PushGossip>.atEndOfStep(1, of: lesson, interactive: true)), sandbox: true)
    p.playing = true
    p.speed = Speed.levels.count - 1
    var model = AppModel(screen: .player(p), width: 120, height: 40, glyphs: .unicode)
    var samples: [String] = []
    let frames = 10 * 60 * 30
    for f in 1...frames {
        model.update(.tick(33_333))
        _ = model.view()
        if f % (frames / 5) == 0 { samples.append(String(format: "%.1f", memory().rss)) }
    }
    let simulated = model.player.map { SimDuration.format($0.session.now) } ?? "?"
    print("memory, player with 1,000 nodes drawn as a grid, 10 min at x1 (\(simulated) simulated): RSS every 2 min \(samples.joined(separator: " ")) MB; peak \(String(format: "%.1f", memory().peak)) MB")
}

/// A sandbox played at full speed (x1) for 10 minutes of frames at 120x40, every frame drawn;
/// `each` runs before every frame. Returns RSS every 2 minutes, and the simulated time reached.
func playSandboxForMemory(_ pattern: String, _ settings: [(String, String)], each: (inout AppModel) -> Void = { _ in }) -> (samples: [String], simulated: String) {
    let doc = Catalog.sandboxDocument(pattern: pattern, settings: settings)
    guard case .success(let s) = Catalog.open(doc, atStep: 1, interactive: true) else { fatalError() }
    var p = PlayerState(session: s, sandbox: true)
    p.playing = true
    p.speed = Speed.levels.count - 1
    var model = AppModel(screen: .player(p), width: 120, height: 40, glyphs: .unicode)
    let frames = 10 * 60 * 30
    var samples: [String] = []
    for f in 1...frames {
        each(&model)
        model.update(.tick(33_333))
        _ = model.view()
        if f % (frames / 5) == 0 { samples.append(String(format: "%.1f", memory().rss)) }
    }
    return (samples, model.player.map { SimDuration.format($0.session.now) } ?? "?")
}

if wanted("memory-gossip") {
    // The gossip pattern in the player: 1,000 nodes, push-pull with rumor mongering and
    // anti-entropy, a new rumor every 5 s of simulated time.
    var lastRumor: SimTime = -10_000_000
    let (samples, simulated) = playSandboxForMemory("gossip", [("nodes", "1000"), ("mode", "push-pull"), ("interest", "coin 2"), ("anti-entropy", "2s")]) { model in
        if let now = model.player?.session.now, now - lastRumor >= 5_000_000 { model.update(.key(.char("r"))); lastRumor = now }
    }
    print("memory, gossip player with 1,000 nodes, a rumor every 5 s, 10 min at x1 (\(simulated) simulated): RSS every 2 min \(samples.joined(separator: " ")) MB; peak \(String(format: "%.1f", memory().peak)) MB")
}

if wanted("memory-clocks") {
    // The busiest sandbox there is: 15 processes making 1,000 clock events a second each.
    let (samples, simulated) = playSandboxForMemory("clocks", [("nodes", "15"), ("workload", "1000")])
    print("memory, busy clocks sandbox 10 min at x1 (\(simulated) simulated): RSS every 2 min \(samples.joined(separator: " ")) MB; peak \(String(format: "%.1f", memory().peak)) MB")
}

if wanted("gossip-pattern") {
    // The gossip pattern itself: push, fanout 1, 200 ms rounds at each node's own phase, from
    // one node to all 100,000 (about 28 rounds).
    var events = 0
    var rounds = 0
    report("gossip pattern, 100,000 nodes to full spread, direct", measure(5) {
        var c = Cluster<GossipNode>(size: 100_000, config: GossipConfig(), seed: 42, journal: Journal(.off))
        _ = Gossip.perform(.write(0, key: "x", value: "1", rumor: true), on: &c)
        let outcome = c.run(until: { $0.tally.first == 100_000 }, within: 60_000_000)
        precondition(outcome == .met)
        events = c.eventsProcessed
        rounds = Gossip.round(c)
    }, events)
    print("  (\(rounds) rounds)")
    report("gossip pattern, 100,000 nodes to full spread, lesson (check)", measure(5) {
        events = checkLesson(Gossip.self, "nodes: 100000", run: "rumor n1 x=1\nrun until all informed within 60s")
    }, events)
}

if wanted("gossip-frame") {
    // A 1,000-node gossip scene mid-spread: the grid, its counts and the round chart, drawn into
    // the scene box of an 80x24 player and of a 200x60 one.
    var c = Cluster<GossipNode>(size: 1_000, config: GossipConfig(), seed: 42, journal: Journal(.off))
    _ = Gossip.perform(.write(0, key: "x", value: "1", rumor: true), on: &c)
    _ = c.run(until: { $0.tally.first >= 600 }, within: 60_000_000)
    for (w, h) in [(49, 20), (126, 44)] {
        let t = measure(201) {
            var canvas = Canvas(width: w, height: h)
            Gossip.draw(c, NoViewState(), in: canvas.bounds, on: &canvas, SceneContext(glyphs: .unicode, selected: 17))
        }
        print(String(format: "gossip scene, 1,000 nodes with its chart, %dx%d: %.3f ms", w, h, t * 1000))
    }
}

if wanted("grid") {
    // The dense grid widget: 1,000 nodes in four states drawn into the scene box of an 80x24
    // player (packed several to a cell) and of a 200x60 one (one glyph each).
    var rng = SplitMix64(seed: 5)
    let states = (0..<1_000).map { _ in Int(rng.next(below: 4)) }
    let palette = Raft.gridPalette(.unicode)
    for (w, h) in [(42, 14), (126, 44)] {
        let t = measure(201) {
            var canvas = Canvas(width: w, height: h)
            DenseGrid.draw(states: states, palette: palette, in: canvas.bounds, on: &canvas, glyphs: .unicode, selected: 17)
        }
        let p = DenseGrid.packing(count: 1_000, width: w, height: h - 1)
        print(String(format: "dense grid, 1,000 nodes in %dx%d (%d per cell): %.3f ms", w, h, p.perCell, t * 1000))
    }
}

if wanted("resilience") {
    // Issue 11's target: 60 s of simulated time, 1,000 requests a second through three services
    // (client -> front -> payments -> bank), headless. Direct and as `check` runs a lesson.
    let settings = [("services", "client->front->payments->bank"), ("load", "1000/s"), ("workers", "200"),
                    ("service-time", "exp 20ms"), ("breaker", "on"), ("max-attempts", "2")]
    var events = 0, served = 0, digest: UInt64 = 0
    let direct = measure(5) {
        var c = try! Resilience.cluster(settings, seed: 42)
        c.advance(to: 60_000_000)
        events = c.eventsProcessed
        served = c.nodes[0].counts.succeeded
        digest = c.journal.digest
    }
    report("resilience 60s, 1000 req/s, 3 services (direct)", direct, events)
    // The digest of every event: a change meant to be only faster must leave it as it was.
    print("  (\(served) requests served end to end; journal digest \(String(digest, radix: 16)))")
    let front = settings.map { "\($0.0): \($0.1)" }.joined(separator: "\n")
    let lesson = measure(5) { events = checkLesson(Resilience.self, front, run: "run 60s\nexpect client.succeeded > 50000") }
    report("resilience 60s, 1000 req/s (lesson path)", lesson, events)
}

if wanted("saga") {
    // Issue 12's target: 1,000 sagas with random failures and redeliveries, headless, under
    // 200 ms. A saga starts every 10 ms; a third of them meet a refusal or a transient failure;
    // the broker duplicates and reorders a tenth of its deliveries and the network loses 2 %.
    var completed = 0, compensated = 0, events = 0, redelivered = 0
    let t = measure(5) {
        var network = Network()
        network.lossPPM = 20_000
        var c = try! Saga.cluster([("accounts", "alice 100000 bob 100000"), ("stock", "book 100000"),
                                   ("steps", "order.create inventory.reserve payment.charge! shipping.schedule order.approve"),
                                   ("broker-duplicate", "10%"), ("broker-reorder", "10%"), ("redelivery", "300ms"), ("work", "2ms")],
                                  seed: 42, network: network)
        var rng = SplitMix64(seed: 7)
        let payment = c.topology.id(of: "payment")!, inventory = c.topology.id(of: "inventory")!
        for _ in 0..<1_000 {
            switch rng.next(below: 6) {
            case 0: _ = Saga.perform(.fail(payment, .charge, undo: false, Fault(refusals: 1)), on: &c)
            case 1: _ = Saga.perform(.fail(inventory, .reserve, undo: false, Fault(transient: 2)), on: &c)
            default: break
            }
            _ = Saga.perform(.start(count: 1, customer: nil, item: nil, amount: nil), on: &c)
            c.advance(to: c.now + 10_000)
        }
        c.advance(to: c.now + 60_000_000)
        completed = Saga.count(c, .completed); compensated = Saga.count(c, .compensated)
        events = c.eventsProcessed
        redelivered = c.nodes[c.topology.id(of: "broker")!].counts.redeliveries
    }
    report("saga 1,000 sagas with failures, duplicates, loss", t, events)
    print("  (\(completed) completed, \(compensated) compensated, \(redelivered) redeliveries)")
}

if wanted("skip") {
    // The player skipping (→) to the end of a long step: every event an undoable unit, with a
    // checkpoint every 128. 1,000 gossip nodes, a rumor and 120 s of rounds.
    let text = "---\ntitle: bench\npattern: gossip\nseed: 42\nnodes: 1000\n---\n\nIntro.\n\n## Run\n\nLong.\n\n```sim\nrumor n1 x=1\nrun 120s\n```\n"
    var simulated: SimTime = 0
    let t = measure(3) {
        guard case .success(var session) = Catalog.open(LessonDocument(file: "bench.md", name: "bench", text: text), interactive: true) else {
            fatalError("benchmark lesson does not open")
        }
        _ = session.nextStep()
        while !session.scriptDone { _ = session.advance(to: .max, freeRun: false, maxEvents: 2_000) }
        simulated = session.now
    }
    print(String(format: "player skipping 120 s of 1,000-node gossip: %.0f ms (to %.1f s simulated)", t * 1000, Double(simulated) / 1e6))
}
