import Foundation
import Testing
@testable import Experiments
import Canvas
import Patterns
import Simulation

/// The experiment runner and the first built-in experiments.
@Suite struct ExperimentTests {
    static func run(_ e: any Experiment.Type, _ settings: [(String, String)], trials: Int, seed: UInt64 = 1, jobs: Int) -> ExperimentResult {
        try! ExperimentRunner.run(e, settings: settings, trials: trials, seed: seed, jobs: jobs)
    }

    /// The same seed gives byte-identical JSON whatever the number of threads.
    @Test func resultsDoNotDependOnJobs() {
        let one = ExperimentReport.json(Self.run(GossipRoundsExperiment.self, [("n", "50,200")], trials: 6, jobs: 1))
        let two = ExperimentReport.json(Self.run(GossipRoundsExperiment.self, [("n", "50,200")], trials: 6, jobs: 2))
        #expect(one == two)
        let other = ExperimentReport.json(Self.run(GossipRoundsExperiment.self, [("n", "50,200")], trials: 6, seed: 2, jobs: 2))
        #expect(one != other, "another seed, other trials")
    }

    /// raft-election counts split votes beside the times: most elections split with 5 ms of
    /// randomness and few with 150 ms (measured over 100 trials at seed 1 with
    /// `--set spread=5,25,50,150`: 99 %, 29 %, 14 %, 3 %); the share is in the table and the
    /// JSON, identical for any --jobs.
    @Test func raftElectionCountsSplitVotes() {
        let r = Self.run(RaftElectionExperiment.self, [("spread", "5,150")], trials: 60, jobs: 2)
        let shares = r.flags.map { Double($0.filter { $0 }.count) / Double($0.count) }
        #expect(shares.count == 2 && shares[0] > 0.8 && shares[1] < 0.15, "\(shares)")
        #expect(ExperimentReport.table(r).contains { $0.contains("split vote %") })
        let json = ExperimentReport.json(r)
        #expect(json.contains("\"flagged\":"))
        #expect(json == ExperimentReport.json(Self.run(RaftElectionExperiment.self, [("spread", "5,150")], trials: 60, jobs: 1)))
    }

    /// The paper's lower figure as one sweep: timeouts T to 2T. Elections get slower as T grows
    /// past the broadcast time, and the 12-24 ms point is compared with the paper's mean and worst.
    @Test func theLowerFigureSweepsTheTimeoutsScale() {
        let r = Self.run(RaftElectionExperiment.self, [("scale", "25,150")], trials: 60, jobs: 2)
        let means = r.summaries.map { $0.mean ?? 0 }
        #expect(means[1] > 2 * means[0], "\(means)")
        let low = Self.run(RaftElectionExperiment.self, [("scale", "12")], trials: 30, jobs: 2)
        let table = ExperimentReport.table(low)
        #expect(table.contains { $0.contains("35 ms in the paper") })
        // With 12 ms timeouts the first leader often loses its place before the crash; the
        // crash is then of the next one, and the trial still measures an election.
        #expect(low.summaries[0].finished == 30, "\(low.summaries[0])")
        // The paper's mean at 12-24 ms is 35 ms; this model's is 61 ms over 1,000 trials (the
        // README says why: at 5-10 ms of latency a 12 ms timeout is barely a round of votes).
        // Pinned, not hidden: 30 trials' mean between 1.2x and 3x the paper's.
        let mean = low.summaries[0].mean!
        #expect(mean > 1.2 * 35 && mean < 3 * 35, "mean \(mean) ms")
        // Its long parameter line is folded: nothing in the report wraps at 80 columns.
        #expect(table.allSatisfy { $0.count <= 80 }, "\(table.filter { $0.count > 80 })")
    }

    /// Push gossip: the mean lands 1 to 3 rounds above log2 n + ln n (the formula has an
    /// unstated constant, and the first round is counted; see GossipPublishedResultTests).
    @Test func gossipRoundsFollowTheFormula() {
        let r = Self.run(GossipRoundsExperiment.self, [("n", "100,1000")], trials: 10, jobs: 2)
        for (p, s) in r.summaries.enumerated() {
            let n = r.plan.points[p], f = log2(n) + log(n)
            #expect(s.finished == 10)
            #expect(s.mean! >= f && s.mean! <= f + 3.5, "n=\(n): mean \(s.mean!), formula \(f)")
        }
    }

    /// Push-pull: a node that knows answers one that asks, so the rumor spreads both ways and
    /// the last nodes are found faster (Karp et al. 2000: log3 n + O(log log n)). At 1,000 nodes
    /// it needs fewer rounds than push (about 18 here) and no fewer than log3 n (6.3): each of
    /// ten trials' means must fall between the two.
    @Test func pushPullNeedsFewerRoundsThanPush() {
        let push = Self.run(GossipRoundsExperiment.self, [("n", "1000")], trials: 10, jobs: 2).summaries[0]
        let both = Self.run(GossipRoundsExperiment.self, [("n", "1000"), ("mode", "push-pull")], trials: 10, jobs: 2)
        let s = both.summaries[0]
        #expect(s.finished == 10 && both.plan.parameters.hasPrefix("push-pull"))
        #expect(s.mean! < push.mean! - 2 && s.mean! >= log(1000) / log(3), "push-pull \(s.mean!) against push \(push.mean!)")
    }

    /// M/M/1 at ρ = 0.5: 100 s trials with μ = 100/s give about 5,000 requests each; the mean of
    /// ten such trials lands within 10 % of 1/(μ−λ) = 20 ms (the steady state is reached in well
    /// under a second at this load; the tolerance covers the trials' spread).
    @Test func queueLatencyMatchesMM1() {
        let r = Self.run(QueueLatencyExperiment.self, [("utilisation", "0.5"), ("seconds", "100")], trials: 10, jobs: 2)
        let mean = r.summaries[0].mean!
        #expect(abs(mean - 20) / 20 < 0.1, "mean \(mean) ms, formula 20 ms")
    }

    /// At 100 % failure the breaker (window 10, minimum 10, 50 %) opens after 5 failures of a
    /// full window: 5 requests at 50/s, about 100 ms plus the requests in flight. Below the
    /// threshold it opens later, if at all.
    @Test func aBreakerTripsFasterTheMoreFails() {
        let r = Self.run(BreakerTripExperiment.self, [("failure", "30,100")], trials: 10, jobs: 2)
        let low = r.summaries[0], high = r.summaries[1]
        #expect(high.finished == 10 && high.median! >= 80 && high.median! <= 200, "\(high)")
        #expect(low.finished < 10 || low.median! > high.median! * 3, "\(low)")
    }

    /// The window is a setting of the experiment: at 100 % failures a breaker that needs 20
    /// calls before it judges waits for twice as many as one that needs 10, so it opens about
    /// twice as late (medians of 10 trials at seed 1: 196 ms against 97 ms); the bound is 1.5x.
    @Test func aLargerWindowTripsLater() {
        let ten = Self.run(BreakerTripExperiment.self, [("failure", "100")], trials: 10, jobs: 2).summaries[0]
        let twenty = Self.run(BreakerTripExperiment.self, [("failure", "100"), ("breaker-window", "count 20"), ("breaker-min-calls", "20")],
                              trials: 10, jobs: 2)
        #expect(twenty.plan.parameters.contains("window count 20") && twenty.plan.parameters.contains("min 20 calls"), "\(twenty.plan.parameters)")
        #expect(twenty.summaries[0].median! > 1.5 * ten.median!, "\(twenty.summaries[0]) against \(ten)")
        // The window as the sweep's axis: at 100 % failures, each larger window opens later.
        let swept = Self.run(BreakerTripExperiment.self, [("windows", "5,10,40")], trials: 8, jobs: 2)
        let medians = swept.summaries.map { $0.median ?? 0 }
        #expect(swept.plan.sweep?.name == "window calls" && medians[0] < medians[1] && medians[1] < medians[2], "\(medians)")
    }

    /// Demers' residue: within 20 % for k = 1 to 3 at 1,000 nodes (at k = 3 about 20 nodes are
    /// left out, so eight trials' mean is good to a few nodes).
    @Test func rumorResidueFollowsDemers() {
        let r = Self.run(RumorResidueExperiment.self, [("k", "1,2,3")], trials: 8, jobs: 2)
        for (p, s) in r.summaries.enumerated() {
            let ref = 100 * RumorResidueExperiment.demers(r.plan.points[p])
            #expect(abs(s.mean! - ref) <= 0.2 * ref, "k=\(r.plan.points[p]): \(s.mean!) % against \(ref) %")
        }
    }

    /// Raft's Figure 16 needs the realism the model lacked: with identical timeouts and timers
    /// that fire exactly on time no election ever ends (the candidates stay in lockstep); a
    /// millisecond of scheduling delay lets them drift apart.
    @Test func identicalTimeoutsElectOnlyWithRealism() {
        let exact = Self.run(RaftElectionExperiment.self, [("spread", "0"), ("timer-jitter", "0ms"), ("processing", "0-0ms")], trials: 3, jobs: 2)
        #expect(exact.summaries[0].finished == 0)
        let real = Self.run(RaftElectionExperiment.self, [("spread", "0")], trials: 3, jobs: 2)
        #expect(real.summaries[0].finished >= 1)
        // The paper said only "over 10 s": the report says which side of it the run is on,
        // never a ratio to the bound.
        let beside = ExperimentReport.table(real).first { $0.contains("over 10 s in the paper") } ?? ""
        let past = (real.summaries[0].median ?? 0) >= 10_000
        #expect(beside.contains(past ? "(past that bound)" : "(below that bound)") && !beside.contains("ratio"), "\(beside)")
        // Unfinished trials are left out of the figures, and the report says so.
        let says = ExperimentReport.table(real).contains { $0.contains("of the finished ones only") }
        #expect(says == (real.summaries[0].finished < real.summaries[0].count))
    }

    /// The paper's median at 5 ms of randomness is 287 ms; this model's is about six times it
    /// (1,695 ms over 200 trials; the README says why: with 1 ms of timer jitter, a second
    /// candidate's timer usually fires before the first's RequestVote arrives). This pins that
    /// disagreement rather than hiding it: 60 trials' median between 3x and 12x the paper's
    /// (seeds 1 to 6 gave 1,686 to 2,347 ms, 5.9x to 8.2x: the band leaves room on both
    /// sides for another seed), and the report prints the ratio beside the paper's figure.
    @Test func fiveMillisecondsOfRandomnessIsSlowerThanThePaperAndSaysSo() {
        let r = Self.run(RaftElectionExperiment.self, [("spread", "5")], trials: 60, jobs: 2)
        let median = r.summaries[0].median!
        #expect(median > 3 * 287 && median < 12 * 287, "median \(median) ms")
        let line = ExperimentReport.table(r).first { $0.contains("287 ms in the paper") } ?? ""
        #expect(line.contains("(ratio "), "\(line)")
    }

    /// With 50 ms of randomness the paper's worst of 1,000 trials was 513 ms; 100 trials here
    /// should stay well under a second and elect in a few hundred milliseconds at the median
    /// (the timeout, 150-200 ms, plus a round of votes).
    @Test func fiftyMillisecondsOfRandomnessElectsQuickly() {
        let r = Self.run(RaftElectionExperiment.self, [("spread", "50")], trials: 100, jobs: 2)
        let s = r.summaries[0]
        #expect(s.finished == 100 && s.max! < 1_000 && s.median! > 120 && s.median! < 250, "\(s)")
        #expect(ExperimentReport.table(r).contains { $0.contains("513 ms (worst of 1,000) in the paper") })
    }

    /// Trials that are yes or no (a split vote or not) are reported as a share with Wilson's
    /// 95 % interval, not as a median and percentiles of zeros and hundreds. The interval's
    /// figures are the textbook's: 0 of 40 gives 0 to 8.8 %, 20 of 40 gives 35.2 to 64.8 %.
    @Test func yesOrNoTrialsAreAShareWithAnInterval() {
        let none = ExperimentReport.wilson(Array(repeating: 0, count: 40))
        #expect(abs(none.0!) < 1e-9 && abs(none.1! - 8.76) < 0.01, "\(none)")
        let half = ExperimentReport.wilson(Array(repeating: 0, count: 20) + Array(repeating: 100, count: 20))
        #expect(abs(half.0! - 35.2) < 0.05 && abs(half.1! - 64.8) < 0.05, "\(half)")
        let r = Self.run(RaftSplitVotesExperiment.self, [("latency", "1,80")], trials: 20, jobs: 2)
        let table = ExperimentReport.table(r)
        #expect(table.contains { $0.contains("share %") && $0.contains("95 % interval") } && !table.contains { $0.contains("median") }, "\(table)")
        #expect(ExperimentReport.plot(r).text.contains("● share, │ 95 % interval"))
    }

    /// Broadcast time ≪ election timeout: at 1 ms of latency a fresh cluster's first election
    /// almost never splits; at 80 ms (messages as slow as half the timeout) it almost always does.
    @Test func splitVotesGrowWithLatency() {
        let r = Self.run(RaftSplitVotesExperiment.self, [("latency", "1,80")], trials: 40, jobs: 2)
        #expect(r.summaries[0].mean! <= 5 && r.summaries[1].mean! >= 70, "\(r.summaries)")
    }

    /// SWIM: the first probe of a crashed member comes after e/(e−1) ≈ 1.58 periods on average
    /// (1.56 exactly for 20 members); 60 trials give the mean to about ±0.25 periods, and loss
    /// does not move it.
    @Test func swimDetectionTakesEOverEMinusOnePeriods() {
        let r = Self.run(SwimDetectionExperiment.self, [("loss", "0,20")], trials: 60, jobs: 2)
        for s in r.summaries { #expect(s.finished == 60 && abs(s.mean! - M_E / (M_E - 1)) <= 0.35, "\(s)") }
    }

    /// Phi accrual's trade: a higher threshold notices a crash later and suspects live members
    /// less often (on an exponentially delayed network, no acceptable pause).
    @Test func phiTradesDetectionTimeForFalseSuspicions() {
        let detect = Self.run(PhiDetectionExperiment.self, [("threshold", "1,8")], trials: 10, jobs: 2).summaries
        let wrong = Self.run(PhiFalseSuspicionsExperiment.self, [("threshold", "1,8")], trials: 2, jobs: 2).summaries
        #expect(detect[0].mean! < detect[1].mean!, "\(detect)")
        #expect(wrong[0].mean! > 10 * max(wrong[1].mean!, 0.1), "\(wrong)")
        // Counted from running totals: frequent suspicions are not capped (a member's list of
        // recent ones keeps 256; at threshold 0.1 the group raises about a thousand a minute).
        let many = Self.run(PhiFalseSuspicionsExperiment.self, [("threshold", "0.1,0.5")], trials: 1, jobs: 2).summaries
        #expect(many[0].mean! > many[1].mean! && many[0].mean! > 500, "\(many)")
    }

    /// At a low threshold some member usually suspects a live member already: the crash waits
    /// for a moment when nobody suspects the victim, so no trial "detects" it 0 s after.
    @Test func aFalseSuspicionUnderWayIsNotTakenForADetection() {
        let r = Self.run(PhiDetectionExperiment.self, [("threshold", "0.5")], trials: 30, jobs: 2)
        #expect(r.summaries[0].finished == 30)
        #expect((r.summaries[0].min ?? 0) > 0, "\(r.summaries[0])")
    }

    /// The paper's own figures are drawn on the sweep (◆), not only written beside it.
    @Test func thePapersFiguresAreOnThePlot() {
        let r = Self.run(RaftElectionExperiment.self, [("spread", "5,50")], trials: 10, jobs: 2)
        let text = ExperimentReport.plot(r).text
        // Two figures on the chart, one in the key.
        #expect(text.filter { $0 == "◆" }.count == 3 && text.contains("◆ the paper (median at 5, max at 50)"), "\(text)")
        // In a lesson's panel at 80x24 the key is shorter, and keeps the paper's figures whole.
        let narrow = ExperimentReport.plot(r, width: 44).text.split(separator: "\n")[1]
        #expect(narrow.hasSuffix("◆ paper: median 5, max 50") && displayWidth(String(narrow)) <= 44, "\(narrow)")
        // A long reference drops its citation before anything is cut.
        let gossip = Self.run(GossipRoundsExperiment.self, [("n", "10,100")], trials: 2, jobs: 1)
        let key = ExperimentReport.plot(gossip, width: 44).text.split(separator: "\n")[1]
        #expect(key.hasSuffix("· log2 n + ln n"), "\(key)")
    }

    /// A log y axis has no zero: zeros get the bottom row, labelled 0 under a break (≈), and
    /// the smallest positive value the row above, so "none" never reads as "a few".
    @Test func zerosOnALogAxisHaveTheirOwnRow() {
        let plan = ExperimentPlan(sweep: ("threshold", [1, 2, 3]), measures: "false suspicions", unit: "per min",
                                  trial: { _, _ in nil }, parameters: "", differences: "")
        let r = ExperimentResult(name: "t", seed: 1, trials: 2, plan: plan, values: [[500, 500], [1, 1], [0, 0]])
        let lines = ExperimentReport.plot(r).text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let rows = lines.indices.filter { $0 >= 2 && lines[$0].contains("●") }
        #expect(rows.count == 3, "\(lines.joined(separator: "\n"))")
        // Plot rows 2 to 11 (height 14): 500 at the top, 1 just above the zero row, 0 at the bottom.
        #expect(rows == [2, 10, 11], "\(rows)")
        #expect(lines[11].hasPrefix("     0 ≈") && lines[10].hasPrefix("  1.00 │"), "\(lines.joined(separator: "\n"))")
        #expect(lines[0].contains("(log y)"))
    }

    /// A lesson's panel too narrow for the whole table keeps the columns that matter most (the
    /// sweep, the mean, the split votes a lesson's text talks about) and drops the percentiles
    /// the plot draws; too short for any table, it still says the split votes on one line.
    @Test func aNarrowTableKeepsWhatMattersMost() {
        let r = Self.run(RaftElectionExperiment.self, [("spread", "25,150")], trials: 10, jobs: 2)
        let narrow = ExperimentReport.rows(r, width: 50)
        #expect(narrow[0].contains("spread ms") && narrow[0].contains("mean") && narrow[0].contains("split vote %"), "\(narrow)")
        #expect(!narrow[0].contains("p10") && narrow.allSatisfy { $0.count <= 50 }, "\(narrow)")
        #expect(ExperimentReport.rows(r)[0].contains("p10"), "the whole table when there is room")
        let line = ExperimentReport.flagLine(r) ?? ""
        #expect(line.hasPrefix("split vote: ") && line.contains(" % at 25") && line.contains(" % at 150"), "\(line)")
        #expect(ExperimentReport.flagLine(Self.run(GossipRoundsExperiment.self, [("n", "10")], trials: 2, jobs: 1)) == nil)
    }

    @Test func plotsFitEightyColumns() {
        let r = Self.run(GossipRoundsExperiment.self, [("n", "10,100,1000")], trials: 4, jobs: 2)
        let unicode = ExperimentReport.plot(r)
        var ascii = ExperimentReport.plot(r, glyphs: .ascii)
        ascii.foldToASCII()
        #expect(unicode.width == 80 && ascii.text.allSatisfy { $0.isASCII })
        #expect(unicode.text.contains("●") && unicode.text.contains("·"), "\(unicode.text)")
        let table = ExperimentReport.table(r)
        #expect(table.allSatisfy { $0.count <= 80 }, "\(table)")
        #expect(ExperimentReport.csv(r).split(separator: "\n").count == 1 + 3 * 4)
    }

    @Test func badSettingsAreExplained() {
        var s = Settings()
        s.set("n", "10,abc")
        #expect(throws: Diagnostic.self) { try GossipRoundsExperiment.plan(s) }
        var q = Settings()
        q.set("utilisation", "1.5")
        #expect(throws: Diagnostic.self) { try QueueLatencyExperiment.plan(q) }
        var gap = Settings()
        gap.set("n", "10,,100")      // an empty item is named, not skipped
        #expect(throws: Diagnostic.self) { try GossipRoundsExperiment.plan(gap) }
    }
}

@Suite struct SummaryTests {
    /// Quantiles lie between the two nearest trials in proportion: with an even count the
    /// median is the mean of the middle two (it used to be the upper one).
    @Test func quantilesInterpolateBetweenTrials() {
        let two = Summary([9, 7])
        #expect(two.median == 8 && two.min == 7 && two.max == 9)
        let s = Summary([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, nil])
        #expect(s.count == 12 && s.finished == 11)
        #expect(s.median == 6 && s.p10 == 2 && s.p90 == 10)
        #expect(abs((s.p99 ?? 0) - 10.9) < 1e-9)
        #expect(Summary([nil, nil]).median == nil)
    }
}
