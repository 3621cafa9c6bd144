using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace ActorRecorder.Telegram.FakeServer;

/// <summary>A file part as received: counted and hashed while read, never held in memory.</summary>
internal sealed record FakeFile(string Name, string FileName, long Size, string Sha256);

/// <summary>The request body (or query) exceeded the fake's upload limit.</summary>
internal sealed class FakeTooLargeException : Exception;

/// <summary>The parameters of one Bot API request: query string, then JSON, urlencoded or multipart body.</summary>
internal sealed class FakeForm
{
    public Dictionary<string, string> Fields { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, FakeFile> Files { get; } = new(StringComparer.Ordinal);

    public string? Field(string name) => Fields.GetValueOrDefault(name);

    public static async Task<FakeForm> ReadAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        var form = new FakeForm();
        foreach (var (key, value) in request.Query)
            form.Fields[key] = value.ToString();
        if (string.IsNullOrEmpty(request.ContentType) || !MediaTypeHeaderValue.TryParse(request.ContentType, out var type))
            return form;

        var mediaType = type.MediaType.Value ?? string.Empty;
        if (mediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            await form.ReadMultipartAsync(request, HeaderUtilities.RemoveQuotes(type.Boundary).Value ?? string.Empty, maxBytes, cancellationToken);
        }
        else if (mediaType.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            foreach (var (key, value) in await request.ReadFormAsync(cancellationToken))
                form.Fields[key] = value.ToString();
        }
        else if (mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase))
        {
            using var json = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken);
            if (json.RootElement.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in json.RootElement.EnumerateObject())
                {
                    form.Fields[property.Name] = property.Value.ValueKind == JsonValueKind.String
                        ? property.Value.GetString()!
                        : property.Value.GetRawText();
                }
            }
        }
        return form;
    }

    /// <summary>Hashes a whole stream with SHA-256 in 80 KiB steps.</summary>
    public static async Task<(long Size, string Sha256)> HashAsync(Stream stream, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(80 * 1024);
        try
        {
            long size = 0;
            int read;
            while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                size += read;
            }
            return (size, Convert.ToHexStringLower(hash.GetHashAndReset()));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task ReadMultipartAsync(HttpRequest request, string boundary, long maxBytes, CancellationToken cancellationToken)
    {
        // The default 128 MB body limit of MultipartReader would cut real uploads: the fake counts bytes itself.
        var reader = new MultipartReader(boundary, request.Body) { BodyLengthLimit = null };
        long total = 0;
        while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
        {
            if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition))
                continue;
            var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? string.Empty;
            var fileName = disposition.FileNameStar.HasValue
                ? disposition.FileNameStar.Value
                : HeaderUtilities.RemoveQuotes(disposition.FileName).Value;
            if (!string.IsNullOrEmpty(fileName))
            {
                var (size, sha256) = await HashAsync(section.Body, cancellationToken);
                total += size;
                Files[name] = new FakeFile(name, fileName, size, sha256);
            }
            else
            {
                using var text = new StreamReader(section.Body, Encoding.UTF8);
                var value = await text.ReadToEndAsync(cancellationToken);
                total += value.Length;
                Fields[name] = value;
            }
        }
        // Read to the end first, so the client (which may not read an early answer) sees the 413.
        if (total > maxBytes)
            throw new FakeTooLargeException();
    }
}
