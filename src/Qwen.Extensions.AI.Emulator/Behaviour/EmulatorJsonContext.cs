using System.Text.Json.Serialization;

namespace Qwen.Extensions.AI.Emulator.Behaviour;

/// <summary>Source-generated JSON for the few values the emulator serializes directly.</summary>
[JsonSerializable(typeof(string))]
internal sealed partial class EmulatorJsonContext : JsonSerializerContext;
