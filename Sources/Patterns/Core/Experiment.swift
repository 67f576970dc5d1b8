import Simulation

/// Many seeded runs of a pattern, summarised: "is that typical?". An experiment says what one
/// trial measures (at each point of a sweep, or at one setting), what the published result or
/// the exact formula says, and how its model differs from the paper's. It lives next to its
/// pattern; the runner (module `Experiments`) does the trials in parallel and the reporting.
public protocol Experiment: Sendable {
    /// The name `clustertutor experiment NAME` takes.
    static var name: String { get }
    static var summary: String { get }
    /// What `--set key=value` may change, with defaults.
    static var settings: [SettingSpec] { get }
    static var defaultTrials: Int { get }
    static func plan(_ settings: Settings) throws(Diagnostic) -> ExperimentPlan
}

public struct ExperimentPlan: Sendable {
    /// The swept parameter and its values, or nil for one distribution.
    public var sweep: (name: String, values: [Double])?
    /// What a trial measures, and its unit ("rounds", "ms").
    public var measures: String
    public var unit: String
    /// One trial: the sweep's value (0 without a sweep) and the trial's own seed. nil when the
    /// trial did not finish (a limit was reached); such trials are counted, not averaged.
    public var trial: @Sendable (Double, UInt64) -> Double?
    /// The reference value at a sweep point (the published figure or the formula), and what it is.
    public var reference: (@Sendable (Double) -> Double)?
    public var referenceLabel: String?
    /// The settings the model ran with, and where it differs from the paper (never hidden).
    public var parameters: String
    public var differences: String
    /// Figures a paper reported at some points, to print beside this run's same statistic.
    public var published: [Published] = []
    /// A yes-or-no a trial also reports ("split vote"), counted per point as a share of the
    /// trials: the trial is then run through `flagged` instead of `trial`.
    public var flag: Flag?
    /// Each trial is 0 or 100: yes or no, and the point's mean is a share. Its median and
    /// percentiles then say nothing (0, 0, 0, 100), so the report gives the share with a 95 %
    /// interval instead.
    public var yesNo = false
    /// The most nodes and messages one trial holds at once (its largest cluster, plus a whole
    /// round's messages where a round puts them on the wire together), or 0 for a handful.
    /// Memory follows it (about 1 KB each for 100,000-node gossip), so a lesson's block is
    /// kept below `LessonExperiment.maxFootprint` and the player stays small.
    public var footprint = 0

    public struct Flag: Sendable {
        public var name: String
        public var trial: @Sendable (Double, UInt64) -> (value: Double?, flagged: Bool)
        public init(_ name: String, trial: @escaping @Sendable (Double, UInt64) -> (value: Double?, flagged: Bool)) {
            self.name = name; self.trial = trial
        }
    }

    public struct Published: Sendable {
        public enum Statistic: String, Sendable { case mean, median, max }
        public var x: Double
        public var statistic: Statistic
        public var value: Double
        /// What the paper said, in its words ("over 10 s": a lower bound).
        public var said: String
        /// The paper gave only a bound ("over 10 s"): a ratio to it would mean nothing, so the
        /// report says whether this run is past it instead.
        public var atLeast: Bool
        public init(x: Double, _ statistic: Statistic, _ value: Double, said: String, atLeast: Bool = false) {
            self.x = x; self.statistic = statistic; self.value = value; self.said = said; self.atLeast = atLeast
        }
    }

    public init(sweep: (name: String, values: [Double])? = nil, measures: String, unit: String,
                trial: @escaping @Sendable (Double, UInt64) -> Double?,
                reference: (@Sendable (Double) -> Double)? = nil, referenceLabel: String? = nil,
                parameters: String, differences: String, published: [Published] = []) {
        self.sweep = sweep; self.measures = measures; self.unit = unit; self.trial = trial
        self.reference = reference; self.referenceLabel = referenceLabel
        self.parameters = parameters; self.differences = differences; self.published = published
    }

    /// The sweep's values, or the single point 0.
    public var points: [Double] { sweep?.values ?? [0] }
}

extension Settings {
    /// `10,100,1000`: a list of numbers for a sweep, each within `allowed`.
    /// With `whole`, each must be a whole number (a cluster of 10.5 nodes would run 10 and be
    /// labelled 10.5).
    public func numbers(_ key: String, default d: [Double], in allowed: ClosedRange<Double>, whole: Bool = false) throws(Diagnostic) -> [Double] {
        guard let raw = self[key] else { return d }
        var out: [Double] = []
        // Empty items too ("10,,100"): a slip of the keyboard is named, not skipped.
        for part in raw.split(separator: ",", omittingEmptySubsequences: false) {
            guard let v = Words.decimal(part.trimmingCharacters(in: .whitespaces)), allowed.contains(v) else {
                throw fail(key, "\(key) is a list of numbers from \(Words.plain(allowed.lowerBound)) to \(Words.plain(allowed.upperBound)) separated by commas, found '\(part)'")
            }
            guard !whole || v == v.rounded() else { throw fail(key, "\(key) takes whole numbers, found '\(part)'") }
            // A repeated point would be run twice under two sets of seeds and plotted on itself.
            guard !out.contains(v) else { throw fail(key, "\(key) names \(Words.plain(v)) twice; give each value once") }
            out.append(v)
        }
        guard !out.isEmpty, out.count <= 20 else { throw fail(key, "\(key) takes 1 to 20 values, found \(out.count)") }
        // In order, so the plot's line and the table read left to right.
        out.sort()
        return out
    }
}

extension Words {
    /// `100000` rather than `100000.0`; `0.5` as it is.
    public static func plain(_ v: Double) -> String { v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : String(v) }
    /// `10,000,000`: a count a reader takes in at a glance.
    public static func grouped(_ n: Int) -> String {
        var digits = Array(String(n.magnitude)), out = ""
        while digits.count > 3 { out = "," + String(digits.suffix(3)) + out; digits.removeLast(3) }
        return (n < 0 ? "-" : "") + String(digits) + out
    }
}

import Foundation
