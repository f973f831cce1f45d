import Checkpoints
import Foundation
import Testing
import TestSupport

/// Saves a seeded state dict with torch.save in the zip and the legacy format, and the
/// float32 widening (`tensor.float()`) of every tensor as raw little-endian bytes.
private let saveScript = """
    import json, sys, torch
    from collections import OrderedDict
    folder = sys.argv[1]
    torch.manual_seed(7)
    model = torch.nn.Sequential(
        torch.nn.Conv2d(3, 8, 3), torch.nn.BatchNorm2d(8), torch.nn.ReLU(),
        torch.nn.Conv2d(8, 4, 1, bias=False), torch.nn.Flatten(), torch.nn.Linear(4 * 6 * 6, 5))
    model.train()
    for _ in range(3):
        model(torch.randn(2, 3, 8, 8))
    tensors = OrderedDict(model.state_dict())
    base = torch.randn(64)
    tensors["extra.half"] = torch.randn(3, 5).half()
    tensors["extra.bfloat"] = torch.randn(7).bfloat16()
    tensors["extra.long"] = torch.tensor([[1, -2], [3 << 20, 5]], dtype=torch.int64)
    tensors["extra.transposed"] = torch.randn(4, 6).t()
    tensors["extra.strided"] = torch.randn(5, 8)[1::2, ::3]
    tensors["extra.shared_a"] = base[3:19].view(4, 4)
    tensors["extra.shared_b"] = base[40:].view(2, 12).t()
    tensors["extra.parameter"] = torch.nn.Parameter(torch.randn(3, 2))
    torch.save(tensors, f"{folder}/zip.pt")
    torch.save(tensors, f"{folder}/legacy.pt", _use_new_zipfile_serialization=False)
    torch.save(tensors, f"{folder}/zip-protocol4.pt", pickle_protocol=4)
    torch.save(tensors, f"{folder}/legacy-protocol4.pt", pickle_protocol=4, _use_new_zipfile_serialization=False)
    manifest = {}
    for index, (name, tensor) in enumerate(tensors.items()):
        tensor.detach().float().contiguous().numpy().tofile(f"{folder}/{index}.bin")
        manifest[name] = {"index": index, "shape": list(tensor.shape), "type": str(tensor.dtype).replace("torch.", "")}
    json.dump(manifest, open(f"{folder}/manifest.json", "w"))
    """

private struct ManifestEntry: Decodable {
    var index: Int
    var shape: [Int]
    var type: String
}

private func expectBitIdentical(_ file: String) throws {
    let folder = try TestEnvironment.makeTemporaryDirectory("checkpoint-oracle")
    defer { try? FileManager.default.removeItem(at: folder) }
    try TestEnvironment.runPython(["-c", saveScript, folder.path])

    let manifest = try JSONDecoder().decode(
        [String: ManifestEntry].self, from: Data(contentsOf: folder.appendingPathComponent("manifest.json")))
    let stateDict = try loadStateDict(contentsOf: folder.appendingPathComponent(file))
    #expect(Set(stateDict.keys) == Set(manifest.keys))
    for (name, entry) in manifest {
        let tensor = try #require(stateDict[name], "missing tensor \(name)")
        let raw = try Data(contentsOf: folder.appendingPathComponent("\(entry.index).bin"))
        let expectedBits = raw.withUnsafeBytes { buffer in
            (0..<(raw.count / 4)).map { UInt32(littleEndian: buffer.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self)) }
        }
        #expect(tensor.shape == entry.shape, "shape of \(name)")
        #expect(tensor.elementType.rawValue == entry.type, "element type of \(name)")
        #expect(tensor.values.map(\.bitPattern) == expectedBits, "values of \(name)")
    }
}

/// Both torch.save formats, with the default pickle protocol 2 and with protocol 4.
@Test(
    .enabled(if: TestEnvironment.pythonHasModules(["torch", "numpy"]), "needs torch and numpy in FACTORIZE_PYTHON"),
    arguments: ["zip.pt", "legacy.pt", "zip-protocol4.pt", "legacy-protocol4.pt"])
func checkpointBitIdenticalToTorch(file: String) throws {
    try expectBitIdentical(file)
}
