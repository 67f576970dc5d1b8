import Testing
@testable import App
import Canvas
import Lessons

@Suite struct UpdateTests {
    func player(_ m: AppModel) -> PlayerState { m.player! }

    @Test func playingAdvancesTimeAndAStepPausesWhenItsScriptEnds() {
        var m = Fixtures.player(step: 0)
        #expect(!m.wantsTicks)
        m.update(.key(.right))
        #expect(player(m).session.step == 1)
        #expect(m.wantsTicks)
        var ticks = 0
        while m.wantsTicks && ticks < 10_000 { m.update(.tick(33_000)); ticks += 1 }
        #expect(player(m).session.scriptDone)
        #expect(!player(m).playing)
        #expect(player(m).status?.contains("step done") == true)
        #expect(ticks > 50)   // at 1/20 speed an election takes many frames: it is animated
    }

    @Test func nextFinishesTheStepFirstThenMovesOn() {
        var m = Fixtures.player(step: 0)
        m.update(.key(.pageDown))
        m.update(.key(.pageDown))
        #expect(player(m).session.step == 1)
        #expect(player(m).session.scriptDone)
        m.update(.key(.char("n")))
        #expect(player(m).session.step == 2)
        m.update(.key(.pageUp))
        #expect(player(m).session.step == 1)
        m.update(.key(.char("p")))
        m.update(.key(.left))
        #expect(player(m).session.step == 0)
        #expect(player(m).status == "already at the beginning")
    }

    @Test func theStatusLineSaysWhatThePlayerIsDoing() {
        var m = Fixtures.player(step: 0)
        #expect(player(m).phase == .stepDone)
        #expect(m.view().text.contains("introduction"))
        m.update(.key(.right))
        #expect(player(m).phase == .playing)
        m.update(.key(.right))   // to the end of the step
        #expect(player(m).phase == .stepDone)
        #expect(m.view().text.contains("step done"))
        // Space after a step runs the cluster on, as the narration says, and the screen says so.
        m.update(.key(.char(" ")))
        #expect(player(m).phase == .runningOn)
        m.update(.tick(33_000))
        #expect(player(m).playing)
        #expect(m.view().text.contains("running on"))
        m.update(.key(.char(" ")))
        #expect(player(m).phase == .pausedOffScript)
        // Going on sets the branch aside and says so.
        m.update(.key(.right))
        #expect(player(m).session.step == 2)
        #expect(player(m).status?.contains("set aside") == true)
    }

    @Test func aStepWithNothingToRunIsDoneAtOnceNotPlayingWithAFrozenClock() {
        var m = Fixtures.player(lesson: "---\ntitle: T\npattern: raft\n---\n\n## Only words\n\nNothing runs here.\n", step: 0)
        m.update(.key(.right))
        m.update(.tick(33_000))
        #expect(!player(m).playing)
        #expect(player(m).phase == .lessonDone)
        #expect(m.view().text.contains("lesson done"))
        m.update(.key(.char(" ")))
        #expect(player(m).phase == .runningOn)
        let before = player(m).session.now
        m.update(.tick(33_000))
        #expect(player(m).session.now > before)
    }

    @Test func restartAndGoToStepKeys() {
        var m = Fixtures.player(step: 0)
        m.update(.key(.char("g")))
        #expect(player(m).phase == .choosingStep)
        m.update(.key(.char("2")))
        m.update(.key(.enter))
        #expect(player(m).session.step == 2)
        #expect(!player(m).session.scriptDone)
        m.update(.key(.right))
        #expect(player(m).session.scriptDone)
        m.update(.key(.char("R")))
        #expect(player(m).session.step == 2 && !player(m).session.scriptDone)
        m.update(.key(.char("g"))); m.update(.key(.char("9"))); m.update(.key(.char("9"))); m.update(.key(.enter))
        #expect(player(m).status?.contains("there is no step 99") == true)
        m.update(.key(.char("g"))); for _ in 0..<26 { m.update(.key(.char("9"))) }
        #expect(player(m).status == "a step number is at most 9 digits")
        m.update(.key(.enter))
        #expect(player(m).status?.contains("there is no step 999999999:") == true)
        #expect(player(m).session.step == 2)
        m.update(.key(.char("g"))); m.update(.key(.escape))
        #expect(player(m).goTo == nil)
    }

    @Test func escapeClearsBeforeItLeavesAndNeverDropsTheLesson() {
        var m = Fixtures.player(step: 1)
        m.update(.key(.char("2")))
        m.update(.key(.escape))
        #expect(player(m).selected == nil)
        m.update(.key(.escape))
        #expect(m.player != nil)
        #expect(player(m).session.step == 1)
    }

    /// Real seconds spent with an interesting message in flight and with nothing in flight,
    /// playing the fixture's first step (an election) at `speed`.
    func timeOnScreen(speed: Int = Speed.defaultLevel, lesson: String = Fixtures.lesson) -> (messages: Double, quiet: Double, rates: Set<Double>) {
        var m = Fixtures.player(lesson: lesson, step: 0)
        m.update(.key(.right))
        if case .player(var p) = m.screen { p.speed = speed; m.screen = .player(p) }
        var messages = 0.0, quiet = 0.0, rates = Set<Double>()
        var ticks = 0
        while m.wantsTicks && ticks < 100_000 {
            let w = player(m).session.wire
            m.update(.tick(33_000))
            if w.shortestFlight != nil { messages += 0.033 } else if w.quietFor != nil { quiet += 0.033 }
            if let r = player(m).effectiveRate { rates.insert(r) }
            ticks += 1
        }
        return (messages, quiet, rates)
    }

    @Test func messagesGetTimeOnScreenAndWaitsPassQuickly() {
        let t = timeOnScreen()
        // RequestVote out and votes back: two flights of 10-15 ms, about 1.2 s each on screen.
        #expect(t.messages >= 2.0, "\(t)")
        // The wait for the first timeout (up to 300 ms of simulated time) takes about 1.5 s,
        // not the 4-6 s a fixed 1/20 gives it.
        #expect(t.quiet <= 2.5, "\(t)")
        #expect(t.quiet > 0.5, "\(t)")
        // The speed keys scale all of it.
        let faster = timeOnScreen(speed: Speed.defaultLevel + 1)
        #expect(faster.messages < t.messages * 0.7, "\(faster) vs \(t)")
    }

    @Test func aStepCanFixItsSpeed() {
        let fixed = Fixtures.lesson.replacing("run until leader exists within 1s\n", with: "speed 1/20\nrun until leader exists within 1s\n")
        let t = timeOnScreen(lesson: fixed)
        #expect(t.rates == [1.0 / 20], "\(t.rates)")
        #expect(Pacing.label(1.0 / 20) == "x1/20")
        #expect(problems(in: "speed fast").contains("is not a rate"))
    }

    func problems(in line: String) -> String {
        let text = Fixtures.lesson.replacing("run until leader exists within 1s\n", with: line + "\n")
        return checkLesson(LessonDocument(file: "x.md", name: "x", text: text), among: Catalog.lessonPatterns).diagnostics.map(\.description).joined()
    }

    @Test func aStepStartsFromItsFirstMomentHoweverLongThePause() {
        var m = Fixtures.player(step: 0)
        m.update(.key(.right))
        m.update(.tick(200_000))          // the loop's first tick after the key: the pause before it
        #expect(player(m).session.now <= 1)
        m.update(.tick(33_000))
        #expect(player(m).session.now > 0)
        #expect(player(m).session.now < 10_000)
    }

    @Test func crashNeedsASelectionAndIsUndoneByEventBack() {
        var m = Fixtures.player(step: 1)
        m.update(.key(.char("c")))
        #expect(player(m).status?.contains("select a node first") == true)
        m.update(.key(.char("3")))
        m.update(.key(.char("c")))
        #expect(!player(m).session.isUp(2))
        #expect(m.view().text.contains("off script"))
        m.update(.key(.char("c")))
        #expect(player(m).session.isUp(2))
        m.update(.key(.char(",")))
        m.update(.key(.char(",")))
        #expect(player(m).session.isUp(2))
        m.update(.key(.char("9")))
        #expect(player(m).status == "there is no n9")
    }

    @Test func freeRunAfterTheScriptElectsANewLeaderWhenTheOldOneCrashes() {
        var m = Fixtures.player(step: 1)
        m.update(.key(.char("3")))
        m.update(.key(.char("c")))
        m.update(.key(.char(" ")))
        #expect(m.wantsTicks)
        for _ in 0..<600 { m.update(.tick(33_000)) }   // 20 s real at 1/20 = 1 s simulated
        let screen = m.view().text
        #expect(screen.contains("LEADER"))
        #expect(screen.contains("term 2"))
    }

    /// Paused in the middle of a step, the narration's last line says so and what goes on;
    /// it said "Watching… space pauses" under a bar that read "paused" (found by helper-39).
    @Test func theHintFollowsPlayAndPause() {
        var m = Fixtures.player(step: 0)
        m.update(.key(.right))
        #expect(m.view().text.contains("space pauses"))
        m.update(.key(.char(" ")))
        #expect(player(m).playing == false && !player(m).session.scriptDone)
        #expect(m.view().text.contains("Paused in this step: space plays on"))
        #expect(!m.view().text.contains("space pauses"))
    }

    @Test func speedKeysClamp() {
        var m = Fixtures.player(step: 1)
        m.update(.key(.char("+")))
        // Stopped, the status and the bar say the same ("paced 2×"); playing, the bar shows
        // simulated time per real second, which is another figure, and the status says so.
        #expect(player(m).status == "speed: 2× the default pace")
        #expect(m.view().text.contains("| paced 2× |"))
        m.update(.key(.char("-"))); m.update(.key(.char("-")))
        #expect(player(m).status == "speed: 0.4× the default pace")
        #expect(m.view().text.contains("| paced 0.4× |"))
        m.update(.key(.char(" ")))
        m.update(.key(.char("+")))
        #expect(player(m).playing && player(m).status == "speed: the default pace (slow for messages, quick for waits)")
        m.update(.key(.char("+")))
        #expect(player(m).status == "speed: 2× the default pace (top bar: sim s per real s)")
        m.update(.key(.char(" ")))
        for _ in 0..<20 { m.update(.key(.char("+"))) }
        #expect(player(m).speed == Speed.levels.count - 1)
        for _ in 0..<20 { m.update(.key(.char("-"))) }
        #expect(player(m).speed == 0)
    }

    @Test func aTinyTerminalIsExplainedAndRecovers() {
        var m = Fixtures.player(step: 1, width: 100, height: 30)
        m.update(.key(.char(" ")))
        m.update(.resize(width: 70, height: 20))
        #expect(m.view().text.contains("needs a terminal of at least 80x24"))
        #expect(!m.wantsTicks)
        m.update(.key(.char("n")))        // ignored while too small
        #expect(player(m).session.step == 1)
        m.update(.resize(width: 80, height: 24))
        #expect(m.view().text.contains("Step 1/2"))
    }

    @Test func quitKeys() {
        var a = Fixtures.player()
        a.update(.key(.char("q")))
        #expect(a.quit)
        var b = Fixtures.menu()
        b.update(.key(.interrupt))
        #expect(b.quit)
    }

    @Test func helpPausesTicksAndAnyKeyClosesIt() {
        var m = Fixtures.player(step: 0)
        m.update(.key(.right))
        m.update(.key(.char("?")))
        #expect(m.showHelp && !m.wantsTicks)
        m.update(.key(.char("x")))
        #expect(!m.showHelp)
        #expect(player(m).selected == nil)   // the key only closed help
    }

    @Test func menuOpensALessonAndComesBack() {
        var m = Fixtures.menu()
        m.update(.key(.down))
        m.update(.key(.enter))
        #expect(m.player?.session.title == "Second lesson")
        m.update(.key(.char("m")))
        guard case .menu(let menu) = m.screen else { Issue.record("not back at the menu"); return }
        #expect(menu.selected == 1)
    }

    @Test func leavingALessonPartWayOffersItsStepNextTime() {
        var m = Fixtures.menu()
        m.update(.key(.enter))
        m.update(.key(.right)); m.update(.key(.right)); m.update(.key(.right))   // into step 2
        #expect(m.player?.session.step == 2)
        m.update(.key(.char("m")))
        #expect(m.positions["fixture"] == 2)
        #expect(m.effects == [.savePosition(lesson: "fixture", step: 2)])
        m.update(.key(.enter))                                                    // open it again
        #expect(m.player?.session.step == 0)
        #expect(m.view().text.contains("You left this lesson at step 2"))
        m.update(.key(.enter))
        #expect(m.player?.session.step == 2)
        #expect(m.player?.session.scriptDone == false)
        // Any other key declines: the lesson starts from its introduction as usual.
        m.update(.key(.char("m"))); m.update(.key(.enter)); m.update(.key(.right))
        #expect(m.player?.session.step == 1)
    }

    @Test(arguments: [(20, 5), (30, 6), (40, 8), (79, 23)])
    func theTooSmallScreenFitsItsOwnMessage(_ w: Int, _ h: Int) {
        var m = Fixtures.player(step: 0)
        m.update(.resize(width: w, height: h))
        let text = m.view().text
        #expect(text.contains("80x24"), "\(w)x\(h):\n\(text)")
        #expect(text.contains("\(w)x\(h)"), "\(w)x\(h):\n\(text)")
        #expect(text.contains("q"), "\(w)x\(h)")
    }

    @Test func aBrokenLessonDoesNotStartFromTheMenu() {
        let broken = LessonDocument(file: "bad.md", name: "bad", text: "---\ntitle: Bad\npattern: raft\n---\n## S\n```sim\ncrsh n1\n```\n")
        var m = AppModel(screen: .menu(MenuState(entries: [MenuEntry(broken)])), width: 80, height: 24, glyphs: .unicode)
        m.update(.key(.enter))
        guard case .menu(let menu) = m.screen else { Issue.record("a broken lesson started"); return }
        #expect(menu.message?.contains("bad.md:7:1: unknown command 'crsh'") == true)
    }

    @Test func sameKeysSameFrames() {
        func frames() -> [Canvas] {
            var m = Fixtures.player(step: 0)
            var out: [Canvas] = []
            let script: [Msg] = [.key(.right)] + Array(repeating: .tick(33_000), count: 40)
                + [.key(.char("2")), .key(.char("x")), .key(.char(" "))] + Array(repeating: .tick(50_000), count: 40)
            for msg in script { m.update(msg); out.append(m.view()) }
            return out
        }
        #expect(frames() == frames())
    }

    @Test func sandboxRunsWithoutSteps() {
        let doc = Catalog.sandboxDocument(pattern: "raft", settings: [("nodes", "7"), ("seed", "3")])
        guard case .success(let s) = Catalog.open(doc, atStep: 1) else { Issue.record("sandbox does not open"); return }
        var m = AppModel(screen: .player(PlayerState(session: s, sandbox: true)), width: 100, height: 30, glyphs: .unicode)
        m.update(.key(.char(" ")))
        for _ in 0..<300 { m.update(.tick(33_000)) }
        #expect(m.view().text.contains("LEADER"))
        #expect(!m.view().text.contains("Step 1/1"))
        m.update(.key(.char("r")))
        #expect(m.player?.status == "request sent")
    }
}

@Suite struct PlayerKeyTests {
    @Test func dotStepsOneEventAndCommaTakesItBack() {
        var m = Fixtures.player(step: 1)
        let before = m.view().text
        m.update(.key(.char(".")))
        #expect(m.view().text != before)
        m.update(.key(.char(",")))
        #expect(m.view().text == before)
    }

    @Test func isolateAndHealShowOnTheClusterBorder() {
        var m = Fixtures.player(step: 1)
        m.update(.key(.char("3")))
        m.update(.key(.char("x")))
        #expect(m.player?.status == "n3 isolated; h heals")
        #expect(m.view().text.contains("partitioned: n1 n2 n4 n5 | n3"))
        m.update(.key(.char("h")))
        #expect(m.player?.status == "network healed")
        #expect(!m.view().text.contains("partitioned"))
    }
}

@Suite struct SpinePlayerTests {
    @Test func thePlayerRefusesMoreNodesThanItCanDrawAndSaysWhere() {
        let doc = LessonDocument(file: "big.md", name: "big", text: "---\ntitle: Big\npattern: raft\nnodes: 40\n---\n\n## S\n")
        guard case .failure(let d) = Catalog.open(doc, atStep: 0, interactive: true) else { Issue.record("opened"); return }
        #expect(d.all.first?.description.contains("40 nodes is more than the player shows for raft (1 to 15)") == true, "\(d.all)")
        #expect(d.all.first?.line == 4)
        guard case .success = Catalog.open(doc, atStep: 1, interactive: false) else { Issue.record("render refused"); return }
    }

    @Test func aSaturatedSandboxStillAnswersEveryFrame() {
        // 15 processes making 1,000 events a second each: more than a frame's budget of work.
        let doc = Catalog.sandboxDocument(pattern: "clocks", settings: [("nodes", "15"), ("workload", "1000")])
        guard case .success(let s) = Catalog.open(doc, atStep: 1, interactive: true) else { Issue.record("open"); return }
        var m = AppModel(screen: .player(PlayerState(session: s, sandbox: true)), width: 100, height: 30, glyphs: .unicode)
        m.update(.key(.char(" ")))
        for _ in 0..<20 { m.update(.key(.char("+"))) }       // as fast as it goes
        m.update(.tick(0))                                    // playing from now
        m.update(.tick(10_000_000))                           // 10 s: about 150,000 events are due
        let p = m.player!
        #expect(p.status?.contains("busy cluster") == true)
        #expect(p.session.now < 10_000_000)                   // time ran slower instead of the frame running long
        // The top bar says how fast time really ran: x20 was shown while it ran at a fraction.
        #expect(abs(p.effectiveRate! - Double(p.session.now) / 10_000_000) < 1e-5)
        // A key's answer stands a while before the busy notice takes the line back.
        m.update(.key(.char("+")))                          // (already as fast as it goes)
        m.update(.tick(500_000))
        #expect(m.player?.status?.hasPrefix("speed:") == true, "\(String(describing: m.player?.status))")
        m.update(.tick(2_500_000))
        #expect(m.player?.status?.contains("busy cluster") == true)
        #expect(m.view().text.contains(" \(Pacing.label(m.player!.effectiveRate!)) | \u{25B6} running"), "\(m.view().text)")
        m.update(.key(.char("q")))
        #expect(m.quit)
    }
}

@Suite struct PatternKeyTests {
    @Test func noPatternOffersAKeyThePlayerAlreadyTakes() {
        for p in Catalog.patterns {
            for key in p.interactionKeys {
                #expect(!PlayerState.reservedKeys.contains(key), "\(p.name) offers '\(key)', which the player handles itself")
            }
        }
        #expect(PlayerState.reservedKeys.contains("c"))   // crash, for instance
    }

    /// A scene's own keys (selection, a plot, a pin) are offered the key before the player, so
    /// one that is also a player's key or one of its pattern's interactions would take it
    /// silently: none may be.
    @Test func noSceneClaimsAKeyThePlayerOrItsPatternTakes() {
        for p in Catalog.patterns {
            // Declared as the help line shows them: "t", "[ ]", "< >", "Tab", "Enter".
            let keys = p.sceneKeys.flatMap { $0.0.split(separator: " ") }.filter { $0.count == 1 }.map { Character(String($0)) }
            for key in keys {
                #expect(!PlayerState.reservedKeys.contains(key), "\(p.name)'s scene takes '\(key)', which the player handles itself")
                #expect(!p.interactionKeys.contains(key), "\(p.name)'s scene takes '\(key)', which is also one of its interactions")
            }
        }
    }
}

@Suite struct SkippingTests {
    static let heavy = "---\ntitle: Heavy\npattern: clocks\nnodes: 15\nworkload: 1000\n---\n\n## Busy\n\n```sim\nrun 10s\nexpect events > 100000\n```\n"

    @Test func skippingAHeavyStepGoesASliceAFrameAndStillAnswersKeys() {
        let doc = LessonDocument(file: "h.md", name: "h", text: Self.heavy)
        guard case .success(let s) = Catalog.open(doc, atStep: 0, interactive: true) else { Issue.record("open"); return }
        var m = AppModel(screen: .player(PlayerState(session: s)), width: 100, height: 30, glyphs: .unicode)
        m.update(.key(.right))                      // enter the step
        m.update(.key(.right))                      // skip to its end: too much for one frame
        let first = m.player!
        #expect(first.skipping && first.status?.contains("skipping") == true)
        #expect(first.session.now < 10_000_000)
        var frames = 0
        while m.player!.skipping && frames < 1_000 { m.update(.tick(33_000)); frames += 1 }
        let done = m.player!
        #expect(frames > 1 && !done.skipping)
        #expect(done.session.scriptDone && done.session.failures.isEmpty)
        #expect(done.session.now == 10_000_000)
    }

    @Test func spaceStopsSkippingAndQQuitsAtOnce() {
        let doc = LessonDocument(file: "h.md", name: "h", text: Self.heavy)
        guard case .success(let s) = Catalog.open(doc, atStep: 0, interactive: true) else { Issue.record("open"); return }
        var m = AppModel(screen: .player(PlayerState(session: s)), width: 100, height: 30, glyphs: .unicode)
        m.update(.key(.right))
        m.update(.key(.right))
        let skipping = m.player!.skipping
        #expect(skipping)
        m.update(.key(.char(" ")))
        let stopped = m.player!
        #expect(!stopped.skipping && !stopped.playing)
        m.update(.key(.right))
        m.update(.key(.char("q")))
        #expect(m.quit)
    }
}
