namespace Qwen.Extensions.AI.Emulator;

/// <summary>The <c>error</c> object of a DashScope error body: <c>{"error":{"message","type","param","code"},"request_id"}</c>.</summary>
/// <param name="Code">The error code, for example <c>invalid_parameter_error</c> or <c>limit_requests</c>.</param>
/// <param name="Message">The human-readable message.</param>
/// <param name="Type">The error type, for example <c>invalid_request_error</c>.</param>
/// <param name="Param">The request parameter the error is about, if any.</param>
public sealed record EmulatorError(string Code, string Message, string Type = "invalid_request_error", string? Param = null);
