/// Per-channel mean and standard deviation for `(x - mean) / std` normalisation.
public struct Normalization: Sendable, Equatable {
    public var mean: [Float]
    public var std: [Float]

    /// ImageNet statistics of RGB values in [0, 1], as torchvision's pretrained models expect.
    public static let imageNet = Normalization(mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225])

    public init(mean: [Float], std: [Float]) {
        self.mean = mean
        self.std = std
    }

    /// Checks one entry per channel and positive standard deviations.
    public func validate(channels: Int) throws {
        guard mean.count == channels else {
            throw DatasetError.invalidArgument(
                name: "mean", value: "\(mean)", reason: "expected \(channels) values, one per channel")
        }
        guard std.count == channels else {
            throw DatasetError.invalidArgument(
                name: "std", value: "\(std)", reason: "expected \(channels) values, one per channel")
        }
        if let bad = std.first(where: { !($0 > 0) }) {
            throw DatasetError.invalidArgument(name: "std", value: "\(bad)", reason: "must be positive")
        }
    }
}
