using System.Text;
using Microsoft.Extensions.AI;
using Qwen.Extensions.AI.Wire;

namespace Qwen.Extensions.AI.Mapping;

/// <summary>
/// Builds streamed tool calls from DashScope's fragments, keyed by <c>index</c>: the first fragment carries id and name,
/// continuations send <c>"id":""</c>, repeat the real id, or omit it; trailers carry <c>arguments:""</c> or <c>function:{}</c>.
/// A fragment that brings a different id to an index already in use starts a new call there (a reused index).
/// </summary>
internal sealed class ToolCallAccumulator
{
    private readonly List<Builder> _calls = new(2);

    public bool HasPending => _calls.Count > 0;

    public void Add(in ToolCallFragment fragment)
    {
        Builder? current = null;
        for (var i = _calls.Count - 1; i >= 0; i--)
        {
            if (_calls[i].Index == fragment.Index)
            {
                current = _calls[i];
                break;
            }
        }

        var hasId = !string.IsNullOrEmpty(fragment.Id);
        if (current is null || (hasId && current.Id is not null && current.Id != fragment.Id))
        {
            if (current is not null)
            {
                current.Index = -1; // Closed: later fragments for this index belong to the new call.
            }

            _calls.Add(new Builder(fragment.Index, hasId ? fragment.Id : null, string.IsNullOrEmpty(fragment.Name) ? null : fragment.Name, fragment.Arguments));
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
