namespace Qwen.Extensions.AI.Wire;

/// <summary>The body parameters of one endpoint, by wire name. Each endpoint (chat completions now) has one table.</summary>
internal sealed class RequestParameterTable
{
    private readonly Dictionary<string, RequestParameter> _byName;
    private readonly Dictionary<string, RequestParameter> _byLooseName;

    public RequestParameterTable(string endpoint, params RequestParameter[] parameters)
    {
        Endpoint = endpoint;
        Parameters = parameters;
        _byName = new Dictionary<string, RequestParameter>(parameters.Length, StringComparer.Ordinal);
        foreach (var parameter in parameters)
        {
            _byName.Add(parameter.Name, parameter);
        }

        // Fields the client writes itself (model, messages, stream, tools) are left out: "Model" or "Messages" is far more
        // likely an application's metadata key than a misspelt parameter, and the exact names are refused anyway.
        _byLooseName = new Dictionary<string, RequestParameter>(parameters.Length, StringComparer.Ordinal);
        foreach (var parameter in parameters)
        {
            if (parameter.Kind != ParameterKind.Reserved)
            {
                _byLooseName.Add(Loose(parameter.Name), parameter);
            }
        }
    }

    /// <summary>Gets the endpoint path relative to the base URL, for example <c>chat/completions</c>.</summary>
    public string Endpoint { get; }

    /// <summary>Gets every row, in declaration order.</summary>
    public IReadOnlyList<RequestParameter> Parameters { get; }

    public bool TryGet(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out RequestParameter? parameter) =>
        _byName.TryGetValue(name, out parameter);

    /// <summary>
    /// Finds the parameter <paramref name="name"/> spells another way, up to case and underscores (<c>enableThinking</c>,
    /// <c>EnableThinking</c>, <c>TopK</c>, <c>enablethinking</c>); false for an exact wire name and for anything else.
    /// </summary>
    public bool TryGetNearMiss(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out RequestParameter? parameter)
    {
        if (name.Length > 64 || !_byLooseName.TryGetValue(Loose(name), out parameter) || parameter.Name == name)
        {
            parameter = null;
            return false;
        }

        return true;
    }

    private static string Loose(string name) => name.Replace("_", string.Empty, StringComparison.Ordinal).ToLowerInvariant();
}
