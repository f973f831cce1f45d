import Checkpoints
import Foundation
import Graph
import LinearAlgebra
import TestSupport
import Testing
import Zoo

/// Saves raw float32 tensors listed in a manifest as a torch state dict, with an int64
/// `num_batches_tracked` next to every BatchNorm's running mean, as `model.state_dict()` has it.
/// With `legacy` set, dense layer keys take the old `norm.1` form.
private let saveScript = """
    import json, re, sys, numpy as np, torch
    folder, legacy = sys.argv[1], sys.argv[2] == "1"
    manifest = json.load(open(f"{folder}/manifest.json"))
    state = {}
    for index, (name, shape) in enumerate(manifest):
        key = re.sub(r"(denselayer\\d+\\.(?:norm|relu|conv))([12])\\.", r"\\1.\\2.", name) if legacy else name
        state[key] = torch.from_numpy(np.fromfile(f"{folder}/{index}.bin", dtype="<f4").reshape(shape))
        if name.endswith("running_mean"):
            state[key[:-len("running_mean")] + "num_batches_tracked"] = torch.tensor(7, dtype=torch.int64)
    torch.save(state, f"{folder}/model.pth")
    """

@Suite(.enabled(if: TestEnvironment.pythonHasModules(["torch", "numpy"]), "needs torch and numpy in FACTORIZE_PYTHON"))
struct TorchCheckpointTests {
    @Test(arguments: [(Architecture.resnet18, false), (.densenet121, true)])
    func torchSavedStateDictLoads(_ architecture: Architecture, _ legacyKeys: Bool) throws {
        let options = ZooOptions(keepBatchNorm: true)
        let random = try architecture.buildModel(weights: .random(seed: 5), options: options)
        let specs = try architecture.parameterSpecs()

        let folder = try TestEnvironment.makeTemporaryDirectory("zoo-torch")
        defer { try? FileManager.default.removeItem(at: folder) }
        for (index, spec) in specs.enumerated() {
            try random.graph.initializers[spec.name]!.bytes.write(to: folder.appendingPathComponent("\(index).bin"))
        }
        let manifest = specs.map { [$0.name, $0.shape] as [Any] }
        try JSONSerialization.data(withJSONObject: manifest).write(to: folder.appendingPathComponent("manifest.json"))
        try TestEnvironment.runPython(["-c", saveScript, folder.path, legacyKeys ? "1" : "0"])

        let stateDict = try loadStateDict(contentsOf: folder.appendingPathComponent("model.pth"))
        if legacyKeys {
            #expect(stateDict["features.denseblock1.denselayer1.norm.1.weight"] != nil)
        }
        #expect(stateDict["features.norm5.num_batches_tracked"] != nil || stateDict["bn1.num_batches_tracked"] != nil)

        let loaded = try architecture.buildModel(weights: .stored(stateDict), options: options)
        #expect(loaded.graph.initializers == random.graph.initializers)
    }
}
