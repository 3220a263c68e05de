using System.Text.Json.Serialization;

namespace Qwen.Extensions.AI.Wire;

/// <summary>The one source-generated JSON context of the connector (no reflection on any path): snake_case names, nulls omitted.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(ErrorEnvelope))]
[JsonSerializable(typeof(ErrorDetail))]
[JsonSerializable(typeof(IDictionary<string, object?>))]
[JsonSerializable(typeof(Dictionary<string, object?>))]
internal sealed partial class QwenJsonContext : JsonSerializerContext;
