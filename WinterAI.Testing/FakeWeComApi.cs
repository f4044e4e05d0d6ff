using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace WinterAI.Testing;

/// <summary>
/// A real Kestrel server on 127.0.0.1 that speaks WeCom's API for one self-built app:
/// <c>GET /cgi-bin/gettoken?corpid&amp;corpsecret</c> issues tokens (40013 for another corpid, 40001 for a wrong
/// secret), <c>POST /cgi-bin/message/send?access_token=</c> records touser, agentid, msgtype and content and answers
/// 40014 for an unknown token, 42001 for one <see cref="ExpireTokens">expired</see>, or the next
/// <see cref="Script">scripted</see> errcode (e.g. -1 busy). <see cref="WaitForSendsAsync"/> awaits accepted sends.
/// </summary>
public sealed class FakeWeComApi : IAsyncDisposable
{
    private readonly Lock sync = new();
    private readonly List<FakeWeComSend> sends = [];
    private readonly List<(int Count, TaskCompletionSource Reached)> waiters = [];
    private readonly Dictionary<string, bool> tokens = new(StringComparer.Ordinal);
    private readonly Queue<int> script = new();
    private LoopbackWebApp? web;
    private int tokenRequests;

    private FakeWeComApi(string corpId, string secret)
    {
        CorpId = corpId;
        Secret = secret;
    }

    public string CorpId { get; }

    public string Secret { get; }

    /// <summary>API base, e.g. <c>http://127.0.0.1:41234</c> (what <c>WeCom:ApiBaseUrl</c> is set to).</summary>
    public string BaseUrl { get; private set; } = "";

    /// <summary>expires_in of every token issued from now on. Default 7200 s, as WeCom does.</summary>
    public int TokenLifetimeSeconds { get; set; } = 7200;

    /// <summary>How many <c>gettoken</c> calls arrived (whatever they were answered).</summary>
    public int TokenRequests => Volatile.Read(ref tokenRequests);

    /// <summary>Every message/send so far, accepted or refused, oldest first.</summary>
    public IReadOnlyList<FakeWeComSend> Attempts
    {
        get
        {
            lock (sync)
            {
                return sends.ToArray();
            }
        }
    }

    /// <summary>The messages that went out (errcode 0), oldest first.</summary>
    public IReadOnlyList<FakeWeComSend> Sent => Attempts.Where(s => s.Accepted).ToArray();

    public static async Task<FakeWeComApi> StartAsync(string corpId, string secret)
    {
        var fake = new FakeWeComApi(corpId, secret);
        fake.web = await LoopbackWebApp.StartAsync(app => app.Run(fake.HandleAsync));
        fake.BaseUrl = fake.web.BaseUrl;
        return fake;
    }

    /// <summary>The next message/send calls answer these errcodes, in order (0 accepts); afterwards every call is accepted.</summary>
    public void Script(params int[] errcodes)
    {
        lock (sync)
        {
            foreach (var errcode in errcodes)
            {
                script.Enqueue(errcode);
            }
        }
    }

    /// <summary>Every token issued so far now answers 42001 (expired), as after its 7200 s.</summary>
    public void ExpireTokens()
    {
        lock (sync)
        {
            foreach (var token in tokens.Keys.ToList())
            {
                tokens[token] = false;
            }
        }
    }

    /// <summary>How long <see cref="WaitForSendsAsync"/> waits unless told otherwise.</summary>
    public static readonly TimeSpan DefaultDeadline = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Completes with the accepted sends once there are at least <paramref name="count"/>; throws
    /// <see cref="TimeoutException"/>, saying what arrived, after the deadline.
    /// </summary>
    public async Task<IReadOnlyList<FakeWeComSend>> WaitForSendsAsync(int count, TimeSpan? deadline = null)
    {
        var limit = deadline ?? DefaultDeadline;
        TaskCompletionSource reached;
        lock (sync)
        {
            if (sends.Count(s => s.Accepted) >= count)
            {
                return Sent;
            }

            reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            waiters.Add((count, reached));
        }

        try
        {
            await reached.Task.WaitAsync(limit);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"The fake WeCom API accepted {Sent.Count} message(s) within {limit}, expected {count}: " +
                                       string.Join(" | ", Attempts.Select(a => $"{a.ErrCode} {a.ToUser}: {a.Content}")));
        }

        return Sent;
    }

    private Task HandleAsync(HttpContext context) => (context.Request.Method, context.Request.Path.Value) switch
    {
        ("GET", "/cgi-bin/gettoken") => GetToken(context),
        ("POST", "/cgi-bin/message/send") => SendAsync(context),
        ("GET", "/cgi-bin/media/get") => MediaGetAsync(context),
        ("POST", "/cgi-bin/media/upload") => MediaUploadAsync(context),
        _ => AnswerAsync(context, 404, "unknown path"),
    };

    /// <summary>Files members sent, by MediaId, as <c>/cgi-bin/media/get</c> hands them out (unknown ids: errcode 40007).</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, byte[]> Media { get; } = new();

    private async Task MediaGetAsync(HttpContext context)
    {
        bool known;
        lock (sync)
        {
            known = tokens.TryGetValue(context.Request.Query["access_token"].ToString(), out var valid) && valid;
        }

        if (!known)
        {
            await AnswerAsync(context, 40014, "invalid access_token");
        }
        else if (Media.TryGetValue(context.Request.Query["media_id"].ToString(), out var content))
        {
            context.Response.ContentType = "image/jpeg";
            await context.Response.Body.WriteAsync(content, context.RequestAborted);
        }
        else
        {
            await AnswerAsync(context, 40007, "invalid media_id");
        }
    }

    private Task GetToken(HttpContext context)
    {
        Interlocked.Increment(ref tokenRequests);
        var query = context.Request.Query;
        if (query["corpid"] != CorpId)
        {
            return AnswerAsync(context, 40013, "invalid corpid");
        }

        if (query["corpsecret"] != Secret)
        {
            return AnswerAsync(context, 40001, "invalid credential");
        }

        var token = "tok-" + Guid.NewGuid().ToString("N");
        lock (sync)
        {
            tokens[token] = true;
        }

        return WriteAsync(context, new JsonObject
        {
            ["errcode"] = 0,
            ["errmsg"] = "ok",
            ["access_token"] = token,
            ["expires_in"] = TokenLifetimeSeconds,
        });
    }

    private async Task SendAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var raw = await reader.ReadToEndAsync(context.RequestAborted);
        var token = context.Request.Query["access_token"].ToString();
        string? toUser = null, msgType = null, content = null;
        long? agentId = null;
        try
        {
            var json = JsonNode.Parse(raw)!.AsObject();
            toUser = json["touser"]?.GetValue<string>();
            msgType = json["msgtype"]?.GetValue<string>();
            agentId = json["agentid"]?.GetValue<long>();
            // A picture's or file's message carries its media_id where a text carries its content.
            content = msgType is null ? null : json[msgType]?[msgType is "image" or "file" ? "media_id" : "content"]?.GetValue<string>();
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
        }

        int errcode;
        lock (sync)
        {
            errcode = !tokens.TryGetValue(token, out var valid) ? 40014
                : !valid ? 42001
                : toUser is null || agentId is null || content is null ? 40008
                : script.TryDequeue(out var scripted) ? scripted
                : 0;
            sends.Add(new FakeWeComSend(toUser, agentId, msgType, content, token, errcode, raw));
            var accepted = sends.Count(s => s.Accepted);
            foreach (var waiter in waiters.Where(w => accepted >= w.Count).ToList())
            {
                waiters.Remove(waiter);
                waiter.Reached.TrySetResult();
            }
        }

        await AnswerAsync(context, errcode, errcode switch
        {
            0 => "ok",
            -1 => "system busy",
            40014 => "invalid access_token",
            42001 => "access_token expired",
            _ => "scripted failure",
        });
    }

    private readonly List<FakeMediaUpload> uploads = [];

    /// <summary>Temporary media uploaded through <c>/cgi-bin/media/upload</c>, in order.</summary>
    public IReadOnlyList<FakeMediaUpload> Uploads
    {
        get
        {
            lock (sync)
            {
                return uploads.ToArray();
            }
        }
    }

    private async Task MediaUploadAsync(HttpContext context)
    {
        var upload = await FakeMediaUpload.ReadAsync(context.Request);
        int errcode;
        lock (sync)
        {
            errcode = !tokens.TryGetValue(context.Request.Query["access_token"].ToString(), out var valid) ? 40014
                : !valid ? 42001
                : upload is null || upload.Type is not ("image" or "voice" or "video" or "file") ? 40004
                : 0;
            if (errcode == 0)
            {
                uploads.Add(upload!);
            }
        }

        if (errcode != 0)
        {
            await AnswerAsync(context, errcode, "upload refused");
            return;
        }

        await WriteAsync(context, new JsonObject { ["errcode"] = 0, ["errmsg"] = "ok", ["type"] = upload!.Type, ["media_id"] = upload.MediaId, ["created_at"] = "1380000000" });
    }

    private static Task AnswerAsync(HttpContext context, int errcode, string errmsg) =>
        WriteAsync(context, new JsonObject { ["errcode"] = errcode, ["errmsg"] = errmsg });

    private static Task WriteAsync(HttpContext context, JsonObject json)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        return context.Response.WriteAsync(json.ToJsonString(), context.RequestAborted);
    }

    public async ValueTask DisposeAsync()
    {
        if (web is not null)
        {
            await web.DisposeAsync();
        }
    }
}
