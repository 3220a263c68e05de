using System.Text.Json.Serialization;

namespace Qwen.Extensions.AI.Wire;

/// <summary>The <c>error</c> object: <c>{"message","type","param","code"}</c>. Codes and params may be strings or numbers.</summary>
internal sealed class ErrorDetail
{
    [JsonConverter(typeof(LenientStringConverter))]
    public string? Message { get; set; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? Type { get; set; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? Param { get; set; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? Code { get; set; }
}
