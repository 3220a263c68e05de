namespace Qwen.Extensions.AI.Wire;

/// <summary>The body parameters of one endpoint, by wire name. Each endpoint (chat completions now) has one table.</summary>
internal sealed class RequestParameterTable
{
    private readonly Dictionary<string, RequestParameter> _byName;

    public RequestParameterTable(string endpoint, params RequestParameter[] parameters)
    {
        Endpoint = endpoint;
        Parameters = parameters;
        _byName = new Dictionary<string, RequestParameter>(parameters.Length, StringComparer.Ordinal);
        foreach (var parameter in parameters)
        {
            _byName.Add(parameter.Name, parameter);
        }
    }

    /// <summary>Gets the endpoint path relative to the base URL, for example <c>chat/completions</c>.</summary>
    public string Endpoint { get; }

    /// <summary>Gets every row, in declaration order.</summary>
    public IReadOnlyList<RequestParameter> Parameters { get; }

    public bool TryGet(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out RequestParameter? parameter) =>
        _byName.TryGetValue(name, out parameter);
}
