using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace WinterAI.Testing;

/// <summary>
/// api.weixin.qq.com for tests and the bench: a real Kestrel server on a loopback port that speaks the platform's wire
/// format for the calls WinterAI makes — <c>POST /cgi-bin/stable_token</c>, <c>GET /cgi-bin/token</c>,
/// <c>POST /cgi-bin/message/custom/send</c>, <c>POST /cgi-bin/message/custom/typing</c>, <c>POST /cgi-bin/menu/create</c>.
/// Every answer is HTTP 200 with <c>{"errcode","errmsg"}</c> (or the token fields), as the platform's are.
/// </summary>
/// <remarks>
/// <para>
/// Tokens behave like the platform's: API calls must carry one it issued and that still works (unknown or
/// invalidated → 40001, not shaped like its tokens → 40014, past its lifetime or expired by the test → 42001,
/// missing → 41001). stable_token's normal mode hands back the current token while more than five minutes of it
/// remain, then a new one (the old one keeps working until its own expiry); <c>force_refresh</c> always issues a new
/// one and invalidates the previous. <c>GET /cgi-bin/token</c> issues a new token on every call and, being isolated
/// from stable_token on the platform too, leaves the stable one alone.
/// </para>
/// <para>
/// Token lifetimes run on the <see cref="TimeProvider"/> given to the constructor: share a <c>FakeTimeProvider</c>
/// with the code under test to move both clocks together.
/// </para>
/// </remarks>
public sealed class FakeWeChatApi : IAsyncDisposable, IDisposable
{
    public const string DefaultAppId = "wx2c2769f8efd9abc2";

    public const string DefaultAppSecret = "fake-app-secret-5f1e0c2a9b7d4e6f";

    private const string TokenPrefix = "FAKE_ACCESS_TOKEN_";

    // stable_token's normal mode starts handing out the next token this long before the current one expires.
    private static readonly TimeSpan ReissueAhead = TimeSpan.FromMinutes(5);

    private readonly TimeProvider time;
    private readonly Lock gate = new();
    private readonly Dictionary<string, IssuedToken> issued = new(StringComparer.Ordinal);
    private readonly List<string> issuedInOrder = [];
    private readonly Queue<int> sendFailures = new();
    private readonly List<(string ToUser, string Content)> sent = [];
    private readonly List<string> sentBodies = [];
    private readonly List<string> typing = [];
    private readonly List<string> menus = [];
    private readonly List<(string Method, string Path, string Body)> requests = [];
    private readonly List<string> unexpected = [];
    private readonly List<(int Count, TaskCompletionSource Reached)> sendWaiters = [];
    private LoopbackWebApp? web;
    private string? stableToken;
    private bool reissueUntilForced;
    private int tokenFetches;
    private int forcedTokenFetches;
    private int sendAttempts;

    public FakeWeChatApi(string appId = DefaultAppId, string appSecret = DefaultAppSecret, TimeProvider? time = null)
    {
        AppId = appId;
        AppSecret = appSecret;
        this.time = time ?? TimeProvider.System;
    }

    public string AppId { get; }

    public string AppSecret { get; }

    /// <summary>The <c>expires_in</c> of newly issued tokens. Default 7200 s, the platform's.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromSeconds(7200);

    /// <summary><c>http://127.0.0.1:{port}</c>, for <c>WeChat:ApiBaseUrl</c>. Valid after <see cref="StartAsync"/>.</summary>
    public string BaseUrl { get; private set; } = "";

    /// <summary>Text messages the platform accepted through custom/send, in order.</summary>
    public IReadOnlyList<(string ToUser, string Content)> Sent => Snapshot(sent);

    /// <summary>The raw JSON bodies of the accepted custom/send calls, in order (for checking the wire shape).</summary>
    public IReadOnlyList<string> SentBodies => Snapshot(sentBodies);

    /// <summary>Every custom/send call received, accepted or refused.</summary>
    public int SendAttempts => Read(() => sendAttempts);

    /// <summary>Calls to stable_token and token, failed ones included.</summary>
    public int TokenFetches => Read(() => tokenFetches);

    /// <summary>stable_token calls with <c>force_refresh: true</c>.</summary>
    public int ForcedTokenFetches => Read(() => forcedTokenFetches);

    /// <summary>Every token handed out, oldest first, so tests can check none of them leaks.</summary>
    public IReadOnlyList<string> IssuedTokens => Snapshot(issuedInOrder);

    /// <summary>The follower of every accepted custom/typing call, in order.</summary>
    public IReadOnlyList<string> Typing => Snapshot(typing);

    /// <summary>The raw JSON bodies of accepted menu/create calls, in order.</summary>
    public IReadOnlyList<string> Menus => Snapshot(menus);

    /// <summary>Every request received (method, path, body), in order.</summary>
    public IReadOnlyList<(string Method, string Path, string Body)> Requests => Snapshot(requests);

    /// <summary>Requests to paths the fake does not serve (<c>METHOD /path</c>), answered 404: each one is a call WinterAI should not make.</summary>
    public IReadOnlyList<string> Unexpected => Snapshot(unexpected);

    /// <summary>Raised for each text message the platform accepts (follower, content), after it is in <see cref="Sent"/>.</summary>
    public event Action<string, string>? Accepted;

    public async Task StartAsync()
    {
        if (web is not null)
        {
            throw new InvalidOperationException("Already started.");
        }

        web = await LoopbackWebApp.StartAsync(app =>
        {
            app.MapPost("/cgi-bin/stable_token", StableTokenAsync);
            app.MapGet("/cgi-bin/token", Token);
            app.MapPost("/cgi-bin/message/custom/send", SendAsync);
            app.MapPost("/cgi-bin/message/custom/typing", TypingAsync);
            app.MapPost("/cgi-bin/menu/create", MenuAsync);
            app.MapGet("/cgi-bin/media/get", MediaGet);
            app.MapPost("/cgi-bin/media/upload", MediaUploadAsync);
            app.MapFallback(Unknown);
        });
        BaseUrl = web.BaseUrl;
    }

    /// <summary>
    /// The next <paramref name="count"/> custom/send calls that carry a working token are answered with
    /// <paramref name="errcode"/> (e.g. 48001, 45015, 45047, 45009, or 40001 for a token the platform turns down).
    /// </summary>
    public void FailNextSends(int errcode, int count = 1)
    {
        lock (gate)
        {
            for (var i = 0; i < count; i++)
            {
                sendFailures.Enqueue(errcode);
            }
        }
    }

    /// <summary>
    /// Every token issued so far stops working (calls get 40001). stable_token then issues a new one — unless
    /// <paramref name="reissueUntilForced"/>, which makes its normal mode hand back the dead token until a call
    /// asks for <c>force_refresh</c>, the case a client must get out of by forcing.
    /// </summary>
    public void InvalidateTokens(bool reissueUntilForced = false)
    {
        lock (gate)
        {
            foreach (var token in issued.Values)
            {
                token.Invalidated = true;
            }

            this.reissueUntilForced = reissueUntilForced;
            if (!reissueUntilForced)
            {
                stableToken = null;
            }
        }
    }

    /// <summary>Every token issued so far has expired (calls get 42001); stable_token issues a new one.</summary>
    public void ExpireTokens()
    {
        lock (gate)
        {
            foreach (var token in issued.Values)
            {
                token.Expired = true;
            }

            stableToken = null;
        }
    }

    /// <summary>Completes once <paramref name="count"/> messages have been accepted; throws <see cref="TimeoutException"/> after <paramref name="timeout"/>.</summary>
    public async Task<IReadOnlyList<(string ToUser, string Content)>> WaitForSendsAsync(int count, TimeSpan timeout)
    {
        TaskCompletionSource reached;
        lock (gate)
        {
            if (sent.Count >= count)
            {
                return [.. sent];
            }

            reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            sendWaiters.Add((count, reached));
        }

        try
        {
            await reached.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            var accepted = Sent;
            throw new TimeoutException($"Expected {count} accepted custom/send call(s) within {timeout}; got {accepted.Count} ({SendAttempts} attempt(s)): {string.Join(" | ", accepted.Select(s => $"{s.ToUser}: {s.Content}"))}");
        }

        return Sent;
    }

    public async ValueTask DisposeAsync()
    {
        if (web is not null)
        {
            await web.DisposeAsync();
            web = null;
        }
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private async Task<IResult> StableTokenAsync(HttpRequest request)
    {
        var body = await BodyAsync(request);
        var json = Parse(body);
        var force = json?["force_refresh"]?.GetValueKind() == JsonValueKind.True;
        lock (gate)
        {
            tokenFetches++;
            forcedTokenFetches += force ? 1 : 0;
            if (CheckCredentials((string?)json?["grant_type"], (string?)json?["appid"], (string?)json?["secret"]) is { } refused)
            {
                return refused;
            }

            var now = time.GetUtcNow();
            if (force)
            {
                if (stableToken is not null)
                {
                    issued[stableToken].Invalidated = true;
                }

                reissueUntilForced = false;
                stableToken = Issue(now);
            }
            else if (stableToken is null || !HandsBack(issued[stableToken], now))
            {
                stableToken = Issue(now);
            }

            var remaining = issued[stableToken].ExpiresAt - now;
            return TokenAnswer(stableToken, remaining > TimeSpan.Zero ? remaining : TokenLifetime);
        }
    }

    /// <summary>Files followers sent, by MediaId, as <c>/cgi-bin/media/get</c> hands them out (unknown ids: errcode 40007).</summary>
    public Dictionary<string, byte[]> Media { get; } = [];

    /// <summary>How many times <c>/cgi-bin/media/get</c> was called.</summary>
    public int MediaDownloads => Read(() => mediaDownloads);

    private int mediaDownloads;

    private readonly List<FakeMediaUpload> uploads = [];

    private readonly List<(string ToUser, string MediaId)> sentImages = [];

    /// <summary>Temporary media uploaded through <c>/cgi-bin/media/upload</c>, in order.</summary>
    public IReadOnlyList<FakeMediaUpload> Uploads => Snapshot(uploads);

    /// <summary>Image messages accepted by custom/send (follower, media_id), in order.</summary>
    public IReadOnlyList<(string ToUser, string MediaId)> SentImages => Snapshot(sentImages);

    /// <summary>Voice messages pushed through custom/send (<c>msgtype: voice</c>).</summary>
    public IReadOnlyList<(string ToUser, string MediaId)> SentVoices => Snapshot(sentVoices);

    private readonly List<(string ToUser, string MediaId)> sentVoices = [];

    /// <summary>When set, <c>/cgi-bin/media/upload</c> answers this errcode (e.g. 40004 invalid media type).</summary>
    public int? UploadFailure { get; set; }

    private async Task<IResult> MediaUploadAsync(HttpRequest request)
    {
        var upload = await FakeMediaUpload.ReadAsync(request);
        lock (gate)
        {
            Record(request, "");
            if (RefuseToken(request) is { } refused)
            {
                return refused;
            }

            if (UploadFailure is { } errcode)
            {
                return Error(errcode);
            }

            if (upload is null || upload.Type is not ("image" or "voice" or "video" or "thumb"))
            {
                return Error(40004);
            }

            uploads.Add(upload);
            return Json(new JsonObject { ["type"] = upload.Type, ["media_id"] = upload.MediaId, ["created_at"] = time.GetUtcNow().ToUnixTimeSeconds() });
        }
    }

    private IResult MediaGet(HttpRequest request)
    {
        lock (gate)
        {
            mediaDownloads++;
            Record(request, "");
            if (RefuseToken(request) is { } refused)
            {
                return refused;
            }

            return Media.TryGetValue(request.Query["media_id"].ToString(), out var content)
                ? Results.Bytes(content, "image/jpeg")
                : Error(40007);
        }
    }

    private IResult Token(HttpRequest request)
    {
        lock (gate)
        {
            tokenFetches++;
            Record(request, "");
            var query = request.Query;
            if (CheckCredentials(query["grant_type"], query["appid"], query["secret"]) is { } refused)
            {
                return refused;
            }

            return TokenAnswer(Issue(time.GetUtcNow()), TokenLifetime);
        }
    }

    private async Task<IResult> SendAsync(HttpRequest request)
    {
        var body = await BodyAsync(request);
        var json = Parse(body);
        string? toUser;
        string content;
        lock (gate)
        {
            sendAttempts++;
            if (RefuseToken(request) is { } refused)
            {
                return refused;
            }

            if (sendFailures.TryDequeue(out var errcode))
            {
                return Error(errcode);
            }

            toUser = (string?)json?["touser"];
            if (string.IsNullOrEmpty(toUser))
            {
                return Error(40003);
            }

            if ((string?)json?["msgtype"] == "image")
            {
                var mediaId = (string?)json?["image"]?["media_id"];
                if (!uploads.Exists(u => u.MediaId == mediaId))
                {
                    return Error(40007);
                }

                sentImages.Add((toUser, mediaId!));
                sentBodies.Add(body);
                return Ok();
            }

            if ((string?)json?["msgtype"] == "voice")
            {
                var mediaId = (string?)json?["voice"]?["media_id"];
                if (!uploads.Exists(u => u.MediaId == mediaId && u.Type == "voice"))
                {
                    return Error(40007);
                }

                sentVoices.Add((toUser, mediaId!));
                sentBodies.Add(body);
                return Ok();
            }

            if ((string?)json?["msgtype"] != "text" || json?["text"]?["content"]?.GetValueKind() != JsonValueKind.String)
            {
                return Error(40008);
            }

            content = (string)json["text"]!["content"]!;
            sent.Add((toUser, content));
            sentBodies.Add(body);
            foreach (var waiter in sendWaiters.Where(w => sent.Count >= w.Count).ToList())
            {
                sendWaiters.Remove(waiter);
                waiter.Reached.TrySetResult();
            }
        }

        Accepted?.Invoke(toUser, content);
        return Ok();
    }

    private async Task<IResult> Unknown(HttpRequest request)
    {
        await BodyAsync(request);
        lock (gate)
        {
            unexpected.Add($"{request.Method} {request.Path}");
        }

        return Results.NotFound();
    }

    private async Task<IResult> TypingAsync(HttpRequest request)
    {
        var json = Parse(await BodyAsync(request));
        lock (gate)
        {
            if (RefuseToken(request) is { } refused)
            {
                return refused;
            }

            var toUser = (string?)json?["touser"];
            if (string.IsNullOrEmpty(toUser))
            {
                return Error(40003);
            }

            if ((string?)json?["command"] is not ("Typing" or "CancelTyping"))
            {
                return Error(45072);
            }

            typing.Add(toUser);
            return Ok();
        }
    }

    private async Task<IResult> MenuAsync(HttpRequest request)
    {
        var body = await BodyAsync(request);
        var json = Parse(body);
        lock (gate)
        {
            if (RefuseToken(request) is { } refused)
            {
                return refused;
            }

            if (json?["button"] is not JsonArray { Count: >= 1 and <= 3 })
            {
                return Error(40016);
            }

            menus.Add(body);
            return Ok();
        }
    }

    /// <summary>Called under the lock: whether stable_token's normal mode answers with the current token again.</summary>
    private bool HandsBack(IssuedToken current, DateTimeOffset now) =>
        current.Invalidated ? reissueUntilForced : current.WorksAt(now + ReissueAhead);

    /// <summary>Called under the lock.</summary>
    private IResult? CheckCredentials(string? grantType, string? appId, string? secret)
    {
        if (grantType != "client_credential")
        {
            return Error(40002);
        }

        if (appId != AppId)
        {
            return Error(40013);
        }

        return secret == AppSecret ? null : Error(40125);
    }

    /// <summary>Called under the lock: the platform's answer to a call whose token does not work, or null.</summary>
    private IResult? RefuseToken(HttpRequest request)
    {
        var token = request.Query["access_token"].ToString();
        if (token.Length == 0)
        {
            return Error(41001);
        }

        if (!token.StartsWith(TokenPrefix, StringComparison.Ordinal))
        {
            return Error(40014);
        }

        if (!issued.TryGetValue(token, out var known) || known.Invalidated)
        {
            return Error(40001);
        }

        return known.WorksAt(time.GetUtcNow()) ? null : Error(42001);
    }

    /// <summary>Called under the lock.</summary>
    private string Issue(DateTimeOffset now)
    {
        var token = TokenPrefix + Convert.ToHexString(RandomNumberGenerator.GetBytes(24));
        issued[token] = new IssuedToken(now + TokenLifetime);
        issuedInOrder.Add(token);
        return token;
    }

    private async Task<string> BodyAsync(HttpRequest request)
    {
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        lock (gate)
        {
            Record(request, body);
        }

        return body;
    }

    /// <summary>Called under the lock.</summary>
    private void Record(HttpRequest request, string body) => requests.Add((request.Method, request.Path.Value ?? "", body));

    private static JsonNode? Parse(string body)
    {
        try
        {
            return JsonNode.Parse(body);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static IResult TokenAnswer(string token, TimeSpan expiresIn) =>
        Json(new JsonObject { ["access_token"] = token, ["expires_in"] = (int)Math.Ceiling(expiresIn.TotalSeconds) });

    private static IResult Ok() => Json(new JsonObject { ["errcode"] = 0, ["errmsg"] = "ok" });

    private static IResult Error(int errcode) =>
        Json(new JsonObject { ["errcode"] = errcode, ["errmsg"] = $"{ErrMsg(errcode)} rid: {Guid.NewGuid().ToString("N")[..24]}" });

    private static IResult Json(JsonObject body) => Results.Text(body.ToJsonString(), "application/json; encoding=utf-8", Encoding.UTF8);

    private static string ErrMsg(int errcode) => errcode switch
    {
        40001 => "invalid credential, access_token is invalid or not latest",
        40002 => "invalid grant_type",
        40003 => "invalid openid",
        40008 => "invalid message type",
        40013 => "invalid appid",
        40014 => "invalid access_token",
        40016 => "invalid button size",
        40125 => "invalid appsecret",
        41001 => "access_token missing",
        42001 => "access_token expired",
        45009 => "reach max api daily quota limit",
        45015 => "response out of time limit or subscription is canceled",
        45047 => "out of response count limit",
        45072 => "command字段取值不对",
        48001 => "api unauthorized",
        _ => "scripted failure",
    };

    private IReadOnlyList<T> Snapshot<T>(List<T> list)
    {
        lock (gate)
        {
            return [.. list];
        }
    }

    private T Read<T>(Func<T> read)
    {
        lock (gate)
        {
            return read();
        }
    }

    private sealed class IssuedToken(DateTimeOffset expiresAt)
    {
        public DateTimeOffset ExpiresAt { get; } = expiresAt;

        public bool Invalidated { get; set; }

        public bool Expired { get; set; }

        public bool WorksAt(DateTimeOffset moment) => !Expired && moment < ExpiresAt;
    }
}
