namespace Qwen.Extensions.AI.Mapping;

/// <summary>
/// Builds streamed tool calls from DashScope's fragments, keyed by <c>index</c>: the first fragment carries id and name,
/// continuations send <c>"id":""</c>, repeat the real id, or omit it; trailers carry <c>arguments:""</c> or <c>function:{}</c>.
/// A fragment that brings a different id to an index already in use starts a new call there (a reused index).
/// Linear in fragments: the open call of an index is found in O(1) (a list scan for the usual one or two calls, a dictionary
/// beyond that), so a hostile stream of many indices cannot make accumulation quadratic.
/// </summary>
internal sealed class ToolCallAccumulator
{
    /// <summary>Up to this many calls, a backwards scan is cheaper than a dictionary.</summary>
    private const int ScanLimit = 8;

    private readonly List<Builder> _calls = new(2);
    private Dictionary<int, Builder>? _open;

    public bool HasPending => _calls.Count > 0;

    public void Add(in ToolCallFragment fragment)
    {
        var current = Find(fragment.Index);

        var hasId = !string.IsNullOrEmpty(fragment.Id);
        if (current is null || (hasId && current.Id is not null && current.Id != fragment.Id))
        {
            if (current is not null)
            {
                current.Index = -1; // Closed: later fragments for this index belong to the new call.
            }

            var call = new Builder(fragment.Index, hasId ? fragment.Id : null, string.IsNullOrEmpty(fragment.Name) ? null : fragment.Name, fragment.Arguments);
            _calls.Add(call);
            if (_open is not null)
            {
                _open[fragment.Index] = call;
            }
            else if (_calls.Count > ScanLimit)
            {
                _open = new Dictionary<int, Builder>(_calls.Count * 2);
                foreach (var open in _calls)
                {
                    if (open.Index >= 0)
                    {
                        _open[open.Index] = open; // in order, so a reused index maps to its latest call
                    }
                }
            }

            return;
        }

        if (hasId)
        {
            current.Id ??= fragment.Id;
        }

        if (!string.IsNullOrEmpty(fragment.Name) && current.Name is null)
        {
            current.Name = fragment.Name;
        }

        current.Append(fragment.Arguments);
    }

    /// <summary>Adds every call gathered so far to <paramref name="contents"/>, in the order they began, and starts over.</summary>
    public void Flush(List<AIContent> contents)
    {
        foreach (var call in _calls)
        {
            contents.Add(FunctionCallFactory.Create(call.Id, call.Name, call.Arguments));
        }

        _calls.Clear();
        _open = null;
    }

    private Builder? Find(int index)
    {
        if (_open is not null)
        {
            return _open.TryGetValue(index, out var call) ? call : null;
        }

        for (var i = _calls.Count - 1; i >= 0; i--)
        {
            if (_calls[i].Index == index)
            {
                return _calls[i];
            }
        }

        return null;
    }

    private sealed class Builder(int index, string? id, string? name, string? arguments)
    {
        private StringBuilder? _more;
        private string? _first = arguments;

        public int Index { get; set; } = index;

        public string? Id { get; set; } = id;

        public string? Name { get; set; } = name;

        public string? Arguments => _more?.ToString() ?? _first;

        public void Append(string? piece)
        {
            if (string.IsNullOrEmpty(piece))
            {
                return;
            }

            if (_first is null)
            {
                _first = piece;
            }
            else
            {
                (_more ??= new StringBuilder(_first)).Append(piece);
            }
        }
    }
}
