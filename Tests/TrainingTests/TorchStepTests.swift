import Datasets
import Foundation
import Graph
import TestSupport
import Testing
import Training

/// Checks two SGD steps against PyTorch's from the same initial weights and batch. The small
/// CNN has training-mode BatchNorm, a grouped strided convolution, max pooling and a
/// label-smoothed cross-entropy. The optimizer uses momentum 0.9, Nesterov, and weight decay on
/// weight matrices and kernels only.
@Suite(.enabled(if: TestEnvironment.pythonHasModules(["torch", "numpy"]), "needs PyTorch and NumPy in the oracle Python (optional; scripts/make-venv.sh installs torch when a wheel is available)"))
struct TorchStepTests {
    static let learningRate = 0.1
    static let labels = [0, 2, 1, 2]

    /// The parameter and buffer names with their shapes, in the order the script reads them.
    static let parameters: [(name: String, shape: [Int])] = [
        ("conv1.weight", [4, 1, 3, 3]), ("conv1.bias", [4]),
        ("bn1.weight", [4]), ("bn1.bias", [4]), ("bn1.running_mean", [4]), ("bn1.running_var", [4]),
        ("conv2.weight", [6, 2, 3, 3]), ("conv2.bias", [6]),
        ("fc.weight", [3, 6]), ("fc.bias", [3]),
    ]

    static let script = """
        import sys, numpy as np, torch
        import torch.nn.functional as F
        folder = sys.argv[1]
        load = lambda name: torch.from_numpy(np.load(f"{folder}/{name}.npy"))
        p = {name: load(name) for name in sys.argv[2].split(",")}
        trainable = [n for n in p if "running" not in n]
        for n in trainable: p[n].requires_grad_(True)
        x, labels = load("x"), torch.tensor([int(v) for v in sys.argv[3].split(",")])
        decayed = [p[n] for n in trainable if p[n].dim() > 1]
        plain = [p[n] for n in trainable if p[n].dim() <= 1]
        optimizer = torch.optim.SGD([{"params": decayed, "weight_decay": 5e-4}, {"params": plain, "weight_decay": 0}],
                                    lr=float(sys.argv[4]), momentum=0.9, nesterov=True)
        for _ in range(2):
            optimizer.zero_grad()
            y = F.conv2d(x, p["conv1.weight"], p["conv1.bias"], padding=1)
            y = F.batch_norm(y, p["bn1.running_mean"], p["bn1.running_var"], p["bn1.weight"], p["bn1.bias"],
                             training=True, momentum=0.1, eps=1e-5)
            y = F.max_pool2d(F.relu(y), 2)
            y = F.relu(F.conv2d(y, p["conv2.weight"], p["conv2.bias"], stride=(2, 1), padding=(1, 0), groups=2))
            y = F.linear(torch.flatten(F.adaptive_avg_pool2d(y, 1), 1), p["fc.weight"], p["fc.bias"])
            F.cross_entropy(y, labels, label_smoothing=0.1).backward()
            optimizer.step()
        for name, value in p.items(): np.save(f"{folder}/{name}.torch.npy", value.detach().numpy())
        """

    static func initialValues() -> [String: [Float]] {
        var generator = SplitMix64(seed: 11)
        var values: [String: [Float]] = [:]
        for (name, shape) in parameters {
            let count = shape.reduce(1, *)
            if name.hasSuffix("running_var") {
                values[name] = (0..<count).map { _ in Float(generator.nextUniform(0.5, 1.5)) }
            } else {
                values[name] = (0..<count).map { _ in Float(generator.nextUniform(-0.5, 0.5)) }
            }
        }
        return values
    }

    static func model(_ values: [String: [Float]]) -> Model {
        var initializers: [String: TensorData] = [:]
        for (name, shape) in parameters { initializers[name] = TensorData(floats: values[name]!, shape: shape) }
        let nodes = [
            Node(name: "conv1", opType: "Conv", inputs: ["x", "conv1.weight", "conv1.bias"], outputs: ["c1"],
                 attributes: ["pads": .ints([1, 1, 1, 1])]),
            Node(name: "bn1", opType: "BatchNormalization",
                 inputs: ["c1", "bn1.weight", "bn1.bias", "bn1.running_mean", "bn1.running_var"], outputs: ["b1"],
                 attributes: ["momentum": .float(0.9), "epsilon": .float(1e-5)]),
            Node(name: "relu1", opType: "Relu", inputs: ["b1"], outputs: ["r1"]),
            Node(name: "pool", opType: "MaxPool", inputs: ["r1"], outputs: ["p1"],
                 attributes: ["kernel_shape": .ints([2, 2]), "strides": .ints([2, 2])]),
            Node(name: "conv2", opType: "Conv", inputs: ["p1", "conv2.weight", "conv2.bias"], outputs: ["c2"],
                 attributes: ["group": .int(2), "strides": .ints([2, 1]), "pads": .ints([1, 0, 1, 0])]),
            Node(name: "relu2", opType: "Relu", inputs: ["c2"], outputs: ["r2"]),
            Node(name: "gap", opType: "GlobalAveragePool", inputs: ["r2"], outputs: ["g"]),
            Node(name: "flatten", opType: "Flatten", inputs: ["g"], outputs: ["f"]),
            Node(name: "fc", opType: "Gemm", inputs: ["f", "fc.weight", "fc.bias"], outputs: ["logits"],
                 attributes: ["transB": .int(1)]),
        ]
        let graph = Graph(
            name: "torch-step", nodes: nodes, initializers: initializers,
            inputs: [ValueInfo(name: "x", elementType: .float, shape: [.known(4), .known(1), .known(8), .known(8)])],
            outputs: [ValueInfo(name: "logits", elementType: .float, shape: nil)])
        return Model(graph: graph)
    }

    @Test func twoSGDStepsMatchPyTorch() throws {
        let values = Self.initialValues()
        var generator = SplitMix64(seed: 12)
        let x = LinearAlgebraTensor(shape: [4, 1, 8, 8], scalars: (0..<256).map { _ in Float(generator.nextUniform(-1, 1)) })

        let folder = try TestEnvironment.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        try NpyFile.write(x, to: folder.appendingPathComponent("x.npy"))
        for (name, shape) in Self.parameters {
            try NpyFile.write(LinearAlgebraTensor(shape: shape, scalars: values[name]!), to: folder.appendingPathComponent("\(name).npy"))
        }
        _ = try TestEnvironment.runPython([
            "-c", Self.script, folder.path, Self.parameters.map(\.name).joined(separator: ","),
            Self.labels.map(String.init).joined(separator: ","), String(Self.learningRate),
        ])

        let session = try TrainingSession(model: Self.model(values))
        let optimizer = Optimizer(.sgd(momentum: 0.9, nesterov: true, weightDecay: 5e-4))
        for _ in 0..<2 {
            let logits = try #require(try session.forward(["x": x])["logits"])
            let loss = Loss.softmaxCrossEntropy(logits: logits, labels: Self.labels, labelSmoothing: 0.1)
            session.backward(["logits": loss.gradient])
            optimizer.step(session, learningRate: Self.learningRate)
        }

        for (name, _) in Self.parameters {
            let expected = try NpyFile.readFloatTensor(folder.appendingPathComponent("\(name).torch.npy"))
            let actual = try #require(session.value(name), "\(name) missing from the session")
            #expect(actual.shape == expected.shape, "\(name)")
            #expect(maxNormRelativeError(actual, expected) <= 1e-5, "\(name)")
        }
    }
}
