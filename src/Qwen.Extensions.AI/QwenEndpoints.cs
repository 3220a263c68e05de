namespace Qwen.Extensions.AI;

/// <summary>The base URLs of DashScope's OpenAI-compatible mode, one per region.</summary>
/// <remarks>API keys are bound to a region: a key used against another region's endpoint gets 401 <c>invalid_api_key</c>.</remarks>
public static class QwenEndpoints
{
    /// <summary>Gets the Singapore (international) endpoint, the default.</summary>
    public static Uri Singapore { get; } = new("https://dashscope-intl.aliyuncs.com/compatible-mode/v1");

    /// <summary>Gets the Virginia (US) endpoint.</summary>
    public static Uri Virginia { get; } = new("https://dashscope-us.aliyuncs.com/compatible-mode/v1");

    /// <summary>Gets the Beijing (mainland China) endpoint.</summary>
    public static Uri Beijing { get; } = new("https://dashscope.aliyuncs.com/compatible-mode/v1");

    /// <summary>Gets the Hong Kong endpoint.</summary>
    public static Uri HongKong { get; } = new("https://cn-hongkong.dashscope.aliyuncs.com/compatible-mode/v1");
}
