using System.Text.Json.Serialization;

namespace Qwen.Extensions.AI.Wire;

/// <summary>An error body: compatible mode's <c>{"error":{...},"request_id"}</c> or the native <c>{"code","message","request_id"}</c>.</summary>
internal sealed class ErrorEnvelope
{
    public ErrorDetail? Error { get; set; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? RequestId { get; set; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? Code { get; set; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? Message { get; set; }
}
