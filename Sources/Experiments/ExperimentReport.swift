import Canvas
import Patterns
import Simulation

/// What an experiment's run looks like to a person (a table, a plot) and to a notebook (CSV, JSON).
public enum ExperimentReport {
    static func num(_ v: Double?) -> String { v.map(threeFigures) ?? "-" }

    static func pad(_ s: String, _ n: Int) -> String { String(repeating: " ", count: max(0, n - s.count)) + s }

    /// The summary table, one row per sweep point, with the reference and the ratio when there is one.
    public static func table(_ r: ExperimentResult) -> [String] {
        let plan = r.plan
        let what = plan.measures.contains(plan.unit) ? plan.measures : "\(plan.measures), in \(plan.unit)"
        let head = ["\(r.name): \(what) (\(r.trials) trial\(r.trials == 1 ? "" : "s") each, seed \(r.seed))", plan.parameters, ""]
        var out: [String] = []
        if let label = plan.referenceLabel { out += ["", "ref: \(label)", "ratio: this run's mean / ref"] }
        // A trial that reached its limit has no value: the figures leave it out, and say so,
        // since the values it would have had are larger than any that finished.
        if r.summaries.contains(where: { $0.finished < $0.count }) {
            out += ["", "Figures are of the finished ones only where not every trial finished (done):",
                    "the unfinished ones ran past the limit, so the true figures are higher."]
        }
        // Only when the sweep has a point the paper gave a figure for (no empty heading).
        if plan.published.contains(where: { plan.points.contains($0.x) }) {
            out += ["", "Beside the paper:"]
            let sums = r.summaries
            for p in plan.published {
                guard let k = plan.points.firstIndex(of: p.x) else { continue }
                let s = sums[k]
                let mine: Double? = switch p.statistic { case .mean: s.mean; case .median: s.median; case .max: s.max }
                let comparison: String
                if p.atLeast {
                    comparison = mine.map { $0 >= p.value ? "past that bound" : "below that bound" } ?? "no trial finished"
                } else {
                    comparison = "ratio " + (mine.map { num($0 / p.value) } ?? "-")
                }
                // A worst case grows with the number of trials: say how many this one is of.
                let stat = p.statistic == .max ? "max of \(s.finished)" : p.statistic.rawValue
                out.append("  \(plan.sweep.map { "\($0.name) \(Words.plain(p.x))" } ?? ""): \(stat) \(num(mine)) \(plan.unit) here, \(p.said) in the paper (\(comparison))")
            }
        }
        out.append("")
        out += wrapWords("How the model differs: " + plan.differences, width: 78)
        // A long title, parameter list or comparison is folded here, once, so no line of the
        // report wraps on an 80-column terminal. The table's rows are not: folded, a row would
        // no longer sit under its heading (they fit 80 columns but for extreme sweep values).
        func folded(_ lines: [String]) -> [String] { lines.flatMap { $0.count > 80 ? fold($0, width: 80) : [$0] } }
        return folded(head) + rows(r) + folded(out)
    }

    /// The table's heading and a row per point (the lines a lesson's panel shows, when it has
    /// the room, above the plot).
    public static func rows(_ r: ExperimentResult, width: Int = .max) -> [String] {
        let cols = columns(r)
        // Whole columns only: a cut one ("ma" of "max", "9.0" of "9.00") reads as a figure.
        // When not all fit, the ones that matter most go first (the sweep, the mean, the flag's
        // share a lesson's text talks about), and the percentiles the plot draws anyway last;
        // the kept ones stay in the table's order.
        var kept = Set<Int>(), used = 0
        for k in cols.indices.sorted(by: { cols[$0].rank < cols[$1].rank }) where kept.isEmpty || used + cols[k].width <= width {
            kept.insert(k); used += cols[k].width
        }
        let shown = cols.indices.filter(kept.contains).map { cols[$0] }
        return cols[0].cells.indices.map { i in shown.map { pad($0.cells[i], $0.width) }.joined() }
    }

    /// The share of point `p`'s trials that were flagged, in percent (a trial that did not
    /// finish counts too).
    static func flaggedShare(_ r: ExperimentResult, _ p: Int) -> Double {
        100 * Double(r.flags[p].filter { $0 }.count) / Double(max(1, r.flags[p].count))
    }

    /// "split vote: 43 % at 25, 15 % at 50, 3 % at 150": the flag's shares on one line, for a
    /// panel too short for the table. Nil when the experiment flags nothing.
    public static func flagLine(_ r: ExperimentResult) -> String? {
        guard let f = r.plan.flag, r.flags.count == r.plan.points.count else { return nil }
        let shares = r.plan.points.indices.map { p in
            "\(num(flaggedShare(r, p))) %" + (r.plan.sweep == nil ? "" : " at \(Words.plain(r.plan.points[p]))")
        }
        return "\(f.name): " + shares.joined(separator: ", ")
    }

    /// The table's columns, each its width, its cells (the heading first, then one a point),
    /// right-aligned, and its rank (0 first) when a narrow table keeps only some.
    static func columns(_ r: ExperimentResult) -> [(width: Int, cells: [String], rank: Int)] {
        let plan = r.plan, s = r.summaries
        let x = plan.sweep?.name ?? ""
        // As wide as the sweep's name and its longest value ("timeouts T ms", "0.5000001").
        let first = max(9, x.count, plan.points.map { Words.plain($0).count }.max() ?? 0)
        func column(_ heading: String, _ width: Int, rank: Int, _ cell: (Int) -> String) -> (width: Int, cells: [String], rank: Int) {
            (width, [heading] + s.indices.map(cell), rank)
        }
        var cols = [column(x, first, rank: 0) { plan.sweep == nil ? "" : Words.plain(plan.points[$0]) },
                    column("done", 14, rank: 3) { "\(s[$0].finished)/\(s[$0].count)" }]
        if plan.yesNo {
            // The share of the finished trials and its 95 % interval: a yes-or-no trial's median
            // and percentiles say nothing.
            let intervals = r.values.map(wilson)
            return cols + [column("share %", 10, rank: 1) { num(s[$0].mean) },
                           column("95 % interval", 18, rank: 2) { p in intervals[p].0.map { "\(num($0))-\(num(intervals[p].1!))" } ?? "-" }]
        }
        cols += [column("mean", 8, rank: 1) { num(s[$0].mean) }, column("median", 8, rank: 4) { num(s[$0].median) },
                 column("p10", 8, rank: 9) { num(s[$0].p10) }, column("p90", 8, rank: 8) { num(s[$0].p90) }, column("max", 8, rank: 7) { num(s[$0].max) }]
        if let ref = plan.reference {
            cols += [column("ref", 8, rank: 6) { num(ref(plan.points[$0])) },
                     column("ratio", 7, rank: 5) { p in s[p].mean.map { num($0 / ref(plan.points[p])) } ?? "-" }]
        }
        if let f = plan.flag, !r.flags.isEmpty {
            cols.append(column("\(f.name) %", max(8, f.name.count + 3), rank: 2) { p in num(flaggedShare(r, p)) })
        }
        return cols
    }

    /// Wilson's 95 % interval, in percent, for the share of 100s among trials that are 0 or
    /// 100: unlike mean ± 2 standard errors it stays within 0-100 and is not empty at 0 of 40.
    public static func wilson(_ values: [Double?]) -> (Double?, Double?) {
        let v = values.compactMap { $0 }
        guard !v.isEmpty else { return (nil, nil) }
        let n = Double(v.count), p = Double(v.filter { $0 >= 50 }.count) / n, z = 1.959964
        let centre = (p + z * z / (2 * n)) / (1 + z * z / n)
        let half = z / (1 + z * z / n) * (p * (1 - p) / n + z * z / (4 * n * n)).squareRoot()
        return (100 * max(0, centre - half), 100 * min(1, centre + half))
    }

    /// "time to elect a new leader (ms)", or the measure alone when it names its unit.
    static func titled(_ plan: ExperimentPlan) -> String {
        plan.measures.contains(plan.unit) ? plan.measures : "\(plan.measures) (\(plan.unit))"
    }

    /// A line cut at spaces into lines of at most `width`, each after the first indented two
    /// more than the line was.
    static func fold(_ line: String, width: Int) -> [String] {
        let indent = String(line.prefix { $0 == " " })
        let words = wrapWords(String(line.dropFirst(indent.count)), width: width - indent.count - 2)
        return words.enumerated().map { k, w in (k == 0 ? indent : indent + "  ") + w }
    }

    public static func wrapWords(_ s: String, width: Int) -> [String] {
        var lines: [String] = [], line = ""
        for w in s.split(separator: " ") {
            if !line.isEmpty, line.count + 1 + w.count > width { lines.append(line); line = "" }
            line += (line.isEmpty ? "" : " ") + w
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }

    /// The sweep as a chart: each point's mean (`●`, the p10-p90 range as `│`) and the reference
    /// (`·`) on the same scale; the x axis logarithmic when the sweep spans a hundredfold.
    public static func plot(_ r: ExperimentResult, width: Int = 80, height: Int = 14, glyphs g: GlyphSet = .unicode) -> Canvas {
        var canvas = Canvas(width: width, height: height)
        let plan = r.plan, xs = plan.points, sums = r.summaries
        guard xs.count > 1 else { return histogram(r, width: width, height: height, glyphs: g) }
        let refs = xs.map { plan.reference?($0) }.map { $0.flatMap { $0.isFinite ? $0 : nil } }
        // The paper's own figures at points of this sweep (a bound such as "over 10 s" is not a point).
        let paper = plan.published.filter { !$0.atLeast && xs.contains($0.x) }
        // The bar: p10 to p90, or for yes-or-no trials the share's 95 % interval.
        let bars: [(Double?, Double?)] = plan.yesNo ? r.values.map(wilson) : sums.map { ($0.p10, $0.p90) }
        let ys = bars.flatMap { [$0.0, $0.1] }.compactMap { $0 } + sums.compactMap(\.mean) + refs.compactMap { $0 } + paper.map(\.value)
        guard let top = ys.max(), top > 0 else { return canvas }
        // A y axis spanning more than a hundredfold is logarithmic, so small values stay visible.
        let bottom = ys.filter { $0 > 0 }.min() ?? top
        let logY = !plan.yesNo && top / bottom >= 100   // a share reads on a straight 0-100 scale
        // A log scale has no zero: zeros (no false suspicion at a high threshold) get the
        // bottom row to themselves, labelled 0 below a break in the axis, rather than sharing
        // the smallest value's row and reading as it.
        let zeroRow = logY && ys.contains { $0 <= 0 }
        func fy(_ v: Double) -> Double { logY ? (log10(max(v, bottom)) - log10(bottom)) / max(1e-12, log10(top) - log10(bottom)) : v / top }
        let logX = (xs.max()! / max(1e-12, xs.min()!)) >= 100 && xs.min()! > 0
        func fx(_ v: Double) -> Double { logX ? log10(v) : v }
        let x0 = fx(xs.min()!), x1 = fx(xs.max()!)
        // Rows: title, key, the plot, the axis, the sweep's values.
        let label = 7, plotW = width - label - 1, plotH = height - 4, first = 2
        // A column's gap after the axis: the first point's range drawn against it read as a
        // second axis (in ASCII both are '|').
        func col(_ v: Double) -> Int { label + 2 + Int(((fx(v) - x0) / max(1e-12, x1 - x0) * Double(plotW - 2)).rounded()) }
        // Each point in a column of its own: 0 and 1 on an axis to 150 would share one, and one
        // point would hide the other. A point pushed right sits a column from its true place.
        var cols = xs.map(col)
        for p in cols.indices.dropFirst() where cols[p] <= cols[p - 1] { cols[p] = cols[p - 1] + 1 }
        for p in cols.indices.reversed() where cols[p] > width - 1 - (cols.count - 1 - p) { cols[p] = width - 1 - (cols.count - 1 - p) }
        func colOf(_ x: Double) -> Int { xs.firstIndex(of: x).map { cols[$0] } ?? col(x) }
        let scaleH = zeroRow ? plotH - 1 : plotH
        func row(_ v: Double) -> Int {
            if zeroRow && v <= 0 { return first + plotH - 1 }
            return first + (scaleH - 1) - Int((fy(v) * Double(scaleH - 1)).rounded())
        }
        let what = titled(plan)
        let scales = [logX ? "x" : nil, logY ? "y" : nil].compactMap { $0 }
        // In a narrow box (a lesson's panel at 80x24) the x axis's name goes first: the values
        // under the axis and the panel's heading say what is swept.
        let logNote = scales.isEmpty ? "" : " (log \(scales.joined(separator: " and ")))"
        let full = "\(what) against \(plan.sweep!.name)\(logNote)"
        let title = displayWidth(full) <= width ? full : what + logNote
        _ = canvas.text(truncate(g.text(title), to: width), x: 0, y: 0, .bold)
        for k in 0..<plotH { canvas.put(g == .ascii ? "|" : "│", x: label, y: first + k, .dim) }
        _ = canvas.text(pad(num(top), label - 1), x: 0, y: first, .dim)
        _ = canvas.text(pad(logY ? num(bottom) : "0", label - 1), x: 0, y: first + scaleH - 1, .dim)
        if zeroRow {
            _ = canvas.text(pad("0", label - 1), x: 0, y: first + plotH - 1, .dim)
            canvas.put(g == .ascii ? "~" : "≈", x: label, y: first + plotH - 1, .dim)
        }
        for c in label..<width { canvas.put(g == .ascii ? "-" : "─", x: c, y: first + plotH, .dim) }
        // The reference as a dotted curve between its points.
        if plan.reference != nil {
            for c in (label + 2)..<width {
                let t = Double(c - label - 2) / Double(plotW - 2)
                let xv = logX ? pow(10, x0 + t * (x1 - x0)) : x0 + t * (x1 - x0)
                if let v = plan.reference?(xv), v.isFinite, v <= top, v >= 0 { canvas.put(g == .ascii ? "." : "·", x: c, y: row(v), Style(foreground: .yellow)) }
            }
        }
        var labelledTo = 0
        for (p, s) in sums.enumerated() {
            let c = cols[p]
            if let lo = bars[p].0, let hi = bars[p].1 {
                for y in row(hi)...row(lo) { canvas.put(g == .ascii ? "|" : "│", x: c, y: y, Style(foreground: .cyan)) }
            }
            if let m = s.mean { canvas.put(g == .ascii ? "o" : "●", x: c, y: row(m), Style(foreground: .cyan, bold: true)) }
            // A value's label only where it does not run into the one before.
            let tick = Words.plain(xs[p])
            let at = Swift.min(width - tick.count, Swift.max(label + 2, c - tick.count / 2))
            if at > labelledTo || p == 0 {
                _ = canvas.text(tick, x: at, y: first + plotH + 1, .dim)
                labelledTo = at + tick.count
            }
        }
        // Drawn last: where the paper's figure falls on a range or a mean, it is the one seen.
        for p in paper { canvas.put(g == .ascii ? "*" : "◆", x: colOf(p.x), y: row(p.value), Style(foreground: .yellow, bold: true)) }
        let key = plotKey(plan, paper: paper.map { ($0.statistic.rawValue, Words.plain($0.x)) }, width: width, glyphs: g)
        _ = canvas.text(truncate(key, to: width), x: 0, y: 1, .dim)
        return canvas
    }

    /// The plot's key in the longest form that fits `width`: a lesson's panel at 80x24 cut the
    /// paper's figures off the end ("◆ the paper (max at 5…"), and they are the point.
    static func plotKey(_ plan: ExperimentPlan, paper: [(statistic: String, at: String)], width: Int, glyphs g: GlyphSet) -> String {
        let mean = "\(g == .ascii ? "o" : "●") \(plan.yesNo ? "share" : "mean")"
        let range = "\(g == .ascii ? "|" : "│") \(plan.yesNo ? "95 % interval" : "p10-p90")"
        let reference = plan.referenceLabel.map { "\(g == .ascii ? "." : "·") \($0)" }
        // The reference without its citation ("log2 n + ln n (Pittel 1987)"): the table names it.
        let bare = plan.referenceLabel.map { label in "\(g == .ascii ? "." : "·") " + (label.firstRange(of: " (").map { String(label[..<$0.lowerBound]) } ?? label) }
        let star = g == .ascii ? "*" : "◆"
        let short = paper.isEmpty ? [] : ["\(star) paper: " + paper.map { "\($0.statistic) \($0.at)" }.joined(separator: ", ")]
        let forms = [
            ([mean, range] + [reference].compactMap { $0 } + (paper.isEmpty ? [] : ["\(star) the paper (" + paper.map { "\($0.statistic) at \($0.at)" }.joined(separator: ", ") + ")"])).joined(separator: ", "),
            ([mean, range] + [reference].compactMap { $0 } + short).joined(separator: "  "),
            ([mean, range] + [bare].compactMap { $0 } + short).joined(separator: "  "),
        ].map(g.text)
        return forms.first { displayWidth($0) <= width } ?? forms[forms.count - 1]
    }

    /// One point's trials as a histogram, bars in eighths of a cell, the reference (if any)
    /// dotted through the empty part of its column and named under the axis.
    static func histogram(_ r: ExperimentResult, width: Int, height: Int, glyphs g: GlyphSet) -> Canvas {
        var canvas = Canvas(width: width, height: height)
        let plan = r.plan
        let values = r.values[0].compactMap { $0 }
        let what = titled(plan)
        _ = canvas.text(truncate(g.text("\(what): \(values.count) trial\(values.count == 1 ? "" : "s")"), to: width), x: 0, y: 0, .bold)
        guard let lo = values.min(), let hi = values.max() else { return canvas }
        let raw: Double? = plan.reference.map { f in f(plan.points[0]) }
        let ref: Double? = raw.flatMap { $0.isFinite ? $0 : nil }
        let left = Swift.min(lo, ref ?? lo), right = Swift.max(hi, ref ?? hi)
        let label = 7, plotH = height - 4, first = 2
        // Bars as many as the trials bear (twice the cube root: 7 for 40 trials, 20 for 1,000),
        // each several columns wide: a bar a column per 73 bins made 40 trials a barcode.
        let columns = width - label - 1
        let bins = Swift.max(1, Swift.min(columns, Int((2 * pow(Double(values.count), 1.0 / 3)).rounded(.up))))
        let barWidth = columns / bins
        let span = Swift.max(right - left, 1e-9)
        var counts = Array(repeating: 0, count: bins)
        for v in values { counts[Swift.min(bins - 1, Int((v - left) / span * Double(bins)))] += 1 }
        let top = counts.max() ?? 1
        let eighths: [Character] = g == .ascii ? [" ", ".", ".", ".", "#", "#", "#", "#", "#"] : [" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
        _ = canvas.text(pad(String(top), label - 1), x: 0, y: first, .dim)
        _ = canvas.text(pad("0", label - 1), x: 0, y: first + plotH - 1, .dim)
        var refCol: Int?
        if let ref {
            let c = Int((ref - left) / span * Double(bins * barWidth))
            refCol = label + 1 + Swift.min(bins * barWidth - 1, c)
        }
        if let c = refCol { for y in first..<(first + plotH) { canvas.put(g == .ascii ? ":" : "┊", x: c, y: y, Style(foreground: .yellow)) } }
        for (b, n) in counts.enumerated() where n > 0 {
            let height8 = Int((Double(n) / Double(top) * Double(plotH * 8)).rounded(.up))
            for k in 0..<plotH {
                let fill = Swift.min(8, Swift.max(0, height8 - k * 8))
                // A column's gap between bars, where they are wide enough to leave one.
                for c in 0..<(barWidth > 2 ? barWidth - 1 : barWidth) where fill > 0 {
                    canvas.put(eighths[fill], x: label + 1 + b * barWidth + c, y: first + plotH - 1 - k, Style(foreground: .cyan))
                }
            }
        }
        for c in label..<width { canvas.put(g == .ascii ? "-" : "─", x: c, y: first + plotH, .dim) }
        _ = canvas.text(num(left), x: label + 1, y: first + plotH + 1, .dim)
        let r0 = num(right)
        _ = canvas.text(r0, x: Swift.max(label + 1 + num(left).count + 1, label + 1 + bins * barWidth - r0.count), y: first + plotH + 1, .dim)
        let key = "trials per bar" + (plan.referenceLabel.map { ", \(g == .ascii ? ":" : "┊") \($0) = \(num(ref))" } ?? "")
        _ = canvas.text(truncate(g.text(key), to: width), x: 0, y: 1, .dim)
        return canvas
    }

    /// One row per trial: point, trial, seed, value (empty when it did not finish).
    public static func csv(_ r: ExperimentResult) -> String {
        var out = "\(r.plan.sweep?.name.replacingOccurrences(of: " ", with: "_") ?? "point"),trial,seed,\(r.plan.unit)\n"
        for (p, vs) in r.values.enumerated() {
            for (k, v) in vs.enumerated() {
                out += "\(Words.plain(r.plan.points[p])),\(k),\(ExperimentRunner.trialSeed(r.seed, point: p, trial: k)),\(v.map { String($0) } ?? "")\n"
            }
        }
        return out
    }

    /// The run as JSON, keys in a fixed order: the same run gives the same bytes.
    public static func json(_ r: ExperimentResult) -> String {
        let str = JSONText.string
        func val(_ v: Double?) -> String { v.flatMap { $0.isFinite ? String($0) : nil } ?? "null" }
        var points: [String] = []
        for (p, vs) in r.values.enumerated() {
            let s = Summary(vs)
            let ref = r.plan.reference?(r.plan.points[p])
            points.append("{\"x\":\(val(r.plan.points[p])),\"finished\":\(s.finished),\"mean\":\(val(s.mean)),\"median\":\(val(s.median)),"
                          + "\"p10\":\(val(s.p10)),\"p90\":\(val(s.p90)),\"max\":\(val(s.max)),\"reference\":\(val(ref)),"
                          + (p < r.flags.count ? "\"flagged\":\(r.flags[p].filter { $0 }.count)," : "")
                          + "\"trials\":[\(vs.map(val).joined(separator: ","))]}")
        }
        return "{\"experiment\":\(str(r.name)),\"seed\":\(r.seed),\"trials\":\(r.trials),\"measures\":\(str(r.plan.measures)),"
            + "\"unit\":\(str(r.plan.unit)),\"sweep\":\(r.plan.sweep.map { str($0.name) } ?? "null"),"
            + "\"parameters\":\(str(r.plan.parameters)),\"points\":[\(points.joined(separator: ","))]}\n"
    }
}

/// The experiments this build knows: adding one adds a line here (its code lives beside its pattern).
public enum ExperimentCatalog {
    public static let all: [any Experiment.Type] = [RaftElectionExperiment.self, RaftSplitVotesExperiment.self, GossipRoundsExperiment.self, RumorResidueExperiment.self, SwimDetectionExperiment.self, PhiDetectionExperiment.self, PhiFalseSuspicionsExperiment.self, QueueLatencyExperiment.self, BreakerTripExperiment.self]
    public static func named(_ name: String) -> (any Experiment.Type)? { all.first { $0.name == name } }
    /// The experiment called `name`, or what to say when there is none: the command line and a
    /// lesson's block answer a slip the same way.
    public static func find(_ name: String) -> Result<any Experiment.Type, SettingsProblem> {
        if let e = named(name) { return .success(e) }
        let names = all.map { $0.name }
        return .failure(SettingsProblem("unknown experiment '\(name)'" + didYouMean(name, names) + "; the experiments are \(names.joined(separator: ", "))"))
    }
}

import Foundation
