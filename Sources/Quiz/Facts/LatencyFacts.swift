/// Which published list a latency number comes from.
public enum Era: String, Sendable, Codable, CaseIterable {
    case y2012 = "2012"
    case y2020 = "2020"

    public var source: String {
        switch self {
        case .y2012: return "~2012 numbers (Dean/Norvig list)"
        case .y2020: return "2020 numbers (Colin Scott's interactive page)"
        }
    }
}

/// One row of the latency ladder (../shared/reference/latency-numbers.md), in seconds.
public struct LatencyFact: Sendable {
    public var id: String
    /// Completes "How long does it take to …?"
    public var action: String
    /// A short name for lists: "main memory reference".
    public var name: String
    public var y2012: Double
    /// nil where the 2020 list has no comparable figure.
    public var y2020: Double?
    /// Why the two lists differ, when they do. Our words.
    public var whyErasDiffer: String?

    public func value(_ era: Era) -> Double? { era == .y2012 ? y2012 : y2020 }
}

public enum LatencyFacts {
    public static let all: [LatencyFact] = [
        LatencyFact(id: "l1", action: "reference the L1 cache", name: "L1 cache reference", y2012: 0.5e-9, y2020: 1e-9,
                    whyErasDiffer: "Both are about a nanosecond: a few CPU cycles. The 2020 page rounds to whole cycles at today's clock rates."),
        LatencyFact(id: "branch", action: "recover from a mispredicted branch", name: "branch mispredict", y2012: 5e-9, y2020: 3.3e-9,
                    whyErasDiffer: "A pipeline flush costs a similar number of cycles; faster clocks make it a little shorter."),
        LatencyFact(id: "l2", action: "reference the L2 cache", name: "L2 cache reference", y2012: 7e-9, y2020: 4.3e-9,
                    whyErasDiffer: "Caches got somewhat faster; still a few nanoseconds."),
        LatencyFact(id: "mutex", action: "lock and unlock an uncontended mutex", name: "mutex lock/unlock", y2012: 25e-9, y2020: 16.7e-9,
                    whyErasDiffer: "An atomic operation's cost shrank a little with faster cores."),
        LatencyFact(id: "memory", action: "reference main memory", name: "main memory reference", y2012: 100e-9, y2020: 100e-9,
                    whyErasDiffer: nil),
        LatencyFact(id: "compress", action: "compress 1 KB with a fast compressor (Snappy)", name: "compress 1 KB", y2012: 3e-6, y2020: 2e-6,
                    whyErasDiffer: "Faster cores, the same algorithm: a modest gain."),
        LatencyFact(id: "send1k", action: "send 1 KB over a 1 Gbps network", name: "send 1 KB over 1 Gbps", y2012: 10e-6, y2020: nil,
                    whyErasDiffer: "The 2020 page only projects 44 ns for 2 KB on a commodity NIC, a formula rather than a measurement, so it is not quizzed."),
        LatencyFact(id: "ssd4k", action: "read 4 KB at random from an SSD", name: "SSD random read 4 KB", y2012: 150e-6, y2020: 16e-6,
                    whyErasDiffer: "NVMe SSDs on PCIe replaced SATA drives: random reads got about ten times faster."),
        LatencyFact(id: "mem1mb", action: "read 1 MB sequentially from memory", name: "read 1 MB from memory", y2012: 250e-6, y2020: 3e-6,
                    whyErasDiffer: "Memory bandwidth grew a lot; the 2020 figure comes from a bandwidth formula and is optimistic."),
        LatencyFact(id: "rtt", action: "make a round trip within one datacenter", name: "datacenter round trip", y2012: 500e-6, y2020: 500e-6,
                    whyErasDiffer: nil),
        LatencyFact(id: "ssd1mb", action: "read 1 MB sequentially from an SSD", name: "SSD sequential read 1 MB", y2012: 1e-3, y2020: 49e-6,
                    whyErasDiffer: "SSD bandwidth grew from hundreds of MB/s to several GB/s with NVMe."),
        LatencyFact(id: "seek", action: "do one disk seek", name: "disk seek", y2012: 10e-3, y2020: 2.5e-3,
                    whyErasDiffer: "Spinning disks barely changed; the 2020 value comes from a trend formula and is kinder than most real drives."),
        LatencyFact(id: "disk1mb", action: "read 1 MB sequentially from a spinning disk", name: "disk sequential read 1 MB", y2012: 20e-3, y2020: 825e-6,
                    whyErasDiffer: "Bigger, denser platters read faster, and the 2020 page extrapolates a trend; treat it as optimistic."),
        LatencyFact(id: "wan", action: "send a packet from California to the Netherlands and back", name: "CA → Netherlands → CA", y2012: 150e-3, y2020: 150e-3,
                    whyErasDiffer: nil),
    ]

    public static func fact(_ id: String) -> LatencyFact? { all.first { $0.id == id } }

    /// Facts with a value in `era`.
    public static func usable(in era: Era) -> [LatencyFact] { all.filter { $0.value(era) != nil } }
}
