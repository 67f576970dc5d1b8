import Testing
@testable import App
import Canvas
import Lessons
import Patterns
@testable import Scenes
import Simulation

@Suite struct DiagramTests {
    func builtin(_ name: String, step: Int? = nil, width: Int = 100, height: Int = 30, glyphs: GlyphSet = .unicode) -> AppModel {
        let (n, text) = BuiltinLessons.all.first { $0.name == name }!
        let doc = LessonDocument(file: n, name: n, text: text)
        guard case .success(let s) = Catalog.open(doc, atStep: step ?? doc.steps.count) else { fatalError(name) }
        return AppModel(screen: .player(PlayerState(session: s)), width: width, height: height, glyphs: glyphs)
    }

    @Test(arguments: [40, 60, 100])
    func aPrintedDiagramKeepsToItsWidthAndShowsEveryEvent(_ width: Int) {
        let (n, text) = BuiltinLessons.all.first { $0.name == "clocks-conflicts" }!
        guard case .success(let lesson) = CompiledLesson<Clocks>.compile(LessonDocument(file: n, name: n, text: text)) else { return }
        let run = LessonRun<Clocks>.atEndOfStep(lesson.steps.count, of: lesson, journal: .off)
        let out = Clocks.diagramText(run.cluster, width: width, ascii: false)
        for line in out.split(separator: "\n") { #expect(displayWidth(String(line)) <= width, "\(width): \(line)") }
        for k in 1...10 { #expect(out.contains("e\(k) "), "e\(k) missing at width \(width)") }
        let ascii = Clocks.diagramText(run.cluster, width: width, ascii: true)
        #expect(ascii.unicodeScalars.allSatisfy { $0.isASCII })
    }

    /// A long history (events made by commands, which used to escape compaction) prints every
    /// event kept, with wide 15-process clocks, says where it starts, and stays fast: 25,000
    /// events took minutes and gigabytes before (the band cut re-split the lines per band).
    @Test func aLongHistoryPrintsEveryKeptEventAndSaysWhereItStarts() {
        var c = Cluster<ClockNode>(size: 15, config: ClockConfig(), seed: 1)
        for k in 0..<9_000 { _ = Clocks.perform(.event(k % 15, ""), on: &c) }
        let h = History(c)
        #expect(h.count <= ClockNode.maxKept + compactionInterval)
        #expect(h.dropped > 0)
        let out = Clocks.diagramText(c, width: 100, ascii: true)
        for line in out.split(separator: "\n") { #expect(line.count <= 100) }
        #expect(out.contains("The first \(h.dropped) events were let go"))
        // Every kept event's id is printed, the first and the last included.
        for k in [0, 1, h.count / 2, h.count - 1] { #expect(out.contains(h.id(k) + " ") || out.contains(h.id(k) + "\n"), "\(h.id(k))") }
    }

    @Test func aPinnedEventIsMarkedAndTheComparisonNamesEveryEntry() {
        var m = builtin("clocks-vector")
        for _ in 0..<3 { m.update(.key(.char("]"))) }          // e3
        m.update(.key(.enter))                                  // pin it
        m.update(.key(.char("]")))                              // e4
        let screen = m.view().text
        #expect(screen.contains("◈"))
        #expect(screen.contains("ahead in n3's") && screen.contains("n1 and n2's entries"))
        m.update(.key(.escape))
        #expect(m.player?.status == "pin cleared")
    }

    /// At 80x24 the lesson's narration ("back to n1's very first event") is about events that
    /// scrolled off in order; packed, every one of them is on screen.
    @Test func aNarrowScreenPacksConcurrentEventsInsteadOfScrollingThemOff() {
        for (lesson, events) in [("clocks-lamport", 8), ("clocks-vector", 6)] {
            let screen = builtin(lesson, width: 80, height: 24).view().text
            for k in 1...events { #expect(screen.contains("e\(k) "), "\(lesson): e\(k) missing\n\(screen)") }
        }
    }

    /// Packed columns keep what a Lamport diagram must: order along each process and every
    /// arrow pointing right.
    @Test func packedColumnsKeepEveryOrderThatMeansSomething() {
        var c = Cluster<ClockNode>(size: 6, config: ClockConfig(), seed: 3)
        var rng = SplitMix64(seed: 9)
        for _ in 0..<300 {
            let a = Int(rng.next() % 6), b = Int(rng.next() % 6)
            _ = Clocks.perform(a == b ? .event(a, "") : .send(a, b, ""), on: &c)
            c.advance(to: c.now + SimTime(rng.next() % 20_000))
        }
        let h = History(c)
        let col = Clocks.columns(h, packed: true)
        #expect(col.max()! < h.count - 1, "nothing was packed")
        var last = [Int: Int]()
        for k in h.events.indices {
            let e = h.events[k]
            if let l = last[e.process] { #expect(col[k] > l) }
            last[e.process] = col[k]
            if case .receive(_, let sender) = e.kind, let s = h.position(of: sender) { #expect(col[k] > col[s]) }
        }
    }

    @Test func diagramSnapshots() {
        assertSnapshot("clocks-vector-end-100x30", builtin("clocks-vector").view().text)
        assertSnapshot("clocks-lamport-80x24-ascii", builtin("clocks-lamport", width: 80, height: 24, glyphs: .ascii).view().text)
        assertSnapshot("clocks-hlc-100x30", builtin("clocks-hlc").view().text)
    }

    @Test func selectingAnEventMarksPastFutureAndConcurrent() {
        var m = builtin("clocks-vector")
        for _ in 0..<3 { m.update(.key(.char("]"))) }          // e3: n3's local event c
        let screen = m.view().text
        assertSnapshot("clocks-vector-e3-selected", screen)
        #expect(screen.contains("e3 on n3: local event \"c\""))
        let diagramLines = screen.split(separator: "\n").filter { $0.contains("──") && $0.contains(" [") }
        #expect(diagramLines.map { $0.components(separatedBy: "◉").count - 1 }.reduce(0, +) == 1)  // one selected mark
        #expect(screen.contains("◇"))                            // e1, e2, e4, e5 are concurrent with it
        #expect(screen.contains("▶"))                            // e6 is in its future
        m.update(.key(.enter))                                   // pin e3
        m.update(.key(.char("]")))                               // select e4
        let compared = m.view().text
        #expect(compared.contains("e3 ∥ e4: [0,0,1] vs [2,1,0]"))
        m.update(.key(.tab))                                     // to n3's nearest event
        #expect(m.view().text.contains("on n3"))
    }

    @Test func diagramKeysBelongToTheSceneOnlyWhereItHasThem() {
        var raft = Fixtures.player(step: 1)
        raft.update(.key(.char("]")))
        #expect(raft.player?.status == nil)                      // Raft has no scene keys
        var clocks = builtin("clocks-vector")
        clocks.update(.key(.char("]")))
        #expect(clocks.player?.status == "selected e1")
    }

    @Test func shivizFormat() {
        let (n, text) = BuiltinLessons.all.first { $0.name == "clocks-vector" }!
        guard case .success(let lesson) = CompiledLesson<Clocks>.compile(LessonDocument(file: n, name: n, text: text)) else { Issue.record("compile"); return }
        let run = LessonRun<Clocks>.atEndOfStep(lesson.steps.count, of: lesson, journal: .everything)
        let log = ShiViz.log(History(run.cluster), size: 3)
        let lines = log.split(separator: "\n")
        #expect(lines.count == 12)
        #expect(lines[0] == "e1 a")
        #expect(lines[1] == "n1 {\"n1\": 1}")
        #expect(lines.last == "n3 {\"n1\": 2, \"n2\": 2, \"n3\": 2}")
    }

    @Test func manyProcessesAndManyEventsStayInside() {
        var c = Cluster<ClockNode>(size: 10, config: ClockConfig(), seed: 1, network: Network(latency: .fixed(5_000)))
        for k in 0..<300 {
            _ = Clocks.perform(k % 3 == 0 ? .send(k % 10, (k + 3) % 10, "m") : .event(k % 10, "x"), on: &c)
            c.advance(to: c.now + 1_000)
        }
        var canvas = Canvas(width: 80, height: 22)
        Clocks.draw(c, DiagramView(), in: canvas.bounds, on: &canvas, SceneContext(glyphs: .unicode))
        let text = canvas.text
        for p in 1...10 { #expect(text.contains("n\(p) ")) }
        #expect(text.contains("\(History(c).count) events") && History(c).count > 380)
    }
}

@Suite struct DiagramBehaviourTests {
    func draw(_ c: Cluster<ClockNode>, _ view: DiagramView = DiagramView(), width: Int = 80, glyphs: GlyphSet = .unicode) -> String {
        var canvas = Canvas(width: width, height: 12)
        Clocks.draw(c, view, in: canvas.bounds, on: &canvas, SceneContext(glyphs: glyphs))
        return canvas.text
    }

    @Test func messagesInFlightTravelAndLostOnesAreMarked() {
        var c = Cluster<ClockNode>(size: 2, config: ClockConfig(), seed: 1, network: Network(latency: .fixed(100_000)))
        _ = Clocks.perform(.send(0, 1, "m"), on: &c)
        c.advance(to: 10_000)
        let early = draw(c)
        c.advance(to: 90_000)
        let late = draw(c)
        // The line grows towards the receiver as time passes.
        #expect(late.filter { $0 == "╲" }.count > early.filter { $0 == "╲" }.count)
        var lossy = Network(latency: .fixed(100_000)); lossy.lossPPM = 1_000_000
        var d = Cluster<ClockNode>(size: 2, config: ClockConfig(), seed: 1, network: lossy)
        _ = Clocks.perform(.send(0, 1, "m"), on: &d)
        d.advance(to: 45_000)
        #expect(draw(d).contains("✗"))
        #expect(draw(d, glyphs: .ascii).contains("x"))
    }

    @Test func theDiagramGrowsAsEventsHappen() {
        var c = Cluster<ClockNode>(size: 3, config: ClockConfig(), seed: 1)
        _ = Clocks.perform(.event(0, "a"), on: &c)
        #expect(draw(c).contains("e1") && !draw(c).contains("e2"))
        _ = Clocks.perform(.event(2, "b"), on: &c)
        #expect(draw(c).contains("e2"))
    }

    @Test func scrollingKeysMoveTheWindow() {
        var c = Cluster<ClockNode>(size: 2, config: ClockConfig(), seed: 1)
        for k in 0..<40 { _ = Clocks.perform(.event(k % 2, "x"), on: &c) }
        var view = DiagramView()
        #expect(draw(c, view).contains("e40") && !draw(c, view).contains("e1 "))
        _ = Clocks.handle(.char("<"), &view, c)
        _ = Clocks.handle(.char("<"), &view, c)
        let back = draw(c, view)
        #expect(!back.contains("e40"))
        for _ in 0..<2 { _ = Clocks.handle(.char(">"), &view, c) }
        #expect(draw(c, view).contains("e40"))
    }

    @Test func theComparisonLineNamesTheDirection() {
        var c = Cluster<ClockNode>(size: 2, config: ClockConfig(), seed: 1, network: Network(latency: .fixed(1_000)))
        _ = Clocks.perform(.send(0, 1, "m"), on: &c)
        c.advance(to: 5_000)
        let h = History(c)
        #expect(h.relation(0, 1).hasPrefix("e1 → e2: VC [1,0] ≤ [1,1]"))
        #expect(h.relation(1, 0).hasPrefix("e1 → e2:"))   // asked the other way round, still says which came first
        var view = DiagramView()
        _ = Clocks.handle(.char("]"), &view, c)          // e1
        _ = Clocks.handle(.enter, &view, c)              // pin it
        _ = Clocks.handle(.char("]"), &view, c)          // e2
        #expect(draw(c, view, width: 100).contains("e1 → e2"))
    }

    @Test func vectorComparisonHasFourOutcomes() {
        #expect(Causality.compare([1, 0], [1, 1]) == .before)
        #expect(Causality.compare([2, 1], [1, 1]) == .after)
        #expect(Causality.compare([1, 1], [1, 1]) == .equal)
        #expect(Causality.compare([2, 0], [1, 1]) == .concurrent)
    }

    @Test func theSandboxWorkloadMakesTrafficDeterministically() {
        func run() -> String {
            var config = ClockConfig(); config.workload = 5
            var c = Cluster<ClockNode>(size: 3, config: config, seed: 4)
            c.advance(to: 2_000_000)
            return c.journal.text()
        }
        let a = run()
        #expect(a == run())
        #expect(a.contains("deliver"))
        var config = ClockConfig(); config.workload = 5
        var c = Cluster<ClockNode>(size: 3, config: config, seed: 4)
        c.advance(to: 2_000_000)
        #expect(History(c).count > 15)    // about 5 a second on each of 3 processes, plus receives
    }
}

@Suite struct DiagramSelectionAcrossCompactionTests {
    @Test func aSelectionStaysOnItsEventWhenOldEventsAreLetGo() {
        var config = ClockConfig()
        config.workload = 1_000
        var c = Cluster<ClockNode>(size: 15, config: config, seed: 3, journal: Journal(.off))
        c.advance(to: 1_000_000)
        // Late in a compaction interval, so the event selected is among the newest kept at the next one.
        while c.eventsProcessed % compactionInterval < compactionInterval - 1_000 { c.advance(to: c.now + 1_000) }
        var view = DiagramView()
        _ = Clocks.handle(.char("["), &view, c)            // the newest event
        let before = History(c)
        let chosen = before.events[view.selected! - before.dropped].ref
        while History(c).dropped == before.dropped { c.advance(to: c.now + 10_000) }   // until old events are let go
        let after = History(c)
        let k = view.selected.flatMap(after.rank(ofNumber:))
        #expect(k != nil && after.events[k!].ref == chosen)
        #expect(after.id(k!) == before.id(view.selected! - before.dropped))
        // And much later it has been let go itself: it is no longer drawn as selected.
        c.advance(to: c.now + 2_000_000)
        #expect(view.selected.flatMap(History(c).rank(ofNumber:)) == nil)
    }
}
