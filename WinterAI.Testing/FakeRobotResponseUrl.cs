using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace WinterAI.Testing;

/// <summary>
/// A real Kestrel server on 127.0.0.1 playing the robot's <c>response_url</c>
/// (<c>POST /cgi-bin/aibot/response?response_code=…</c>): records each body and answers as WeCom does,
/// <c>{"errcode":0,"errmsg":"ok"}</c>, or as <see cref="Refuse"/> says (an HTTP error, or 200 with another errcode,
/// as for a code already used or more than an hour old).
/// </summary>
public sealed class FakeRobotResponseUrl : IAsyncDisposable
{
    private readonly Lock sync = new();
    private readonly List<string> calls = [];
    private readonly List<(int Count, TaskCompletionSource Reached)> waiters = [];
    private LoopbackWebApp? web;
    private int status = 200;
    private int errcode;

    private FakeRobotResponseUrl()
    {
    }

    public string BaseUrl { get; private set; } = "";

    /// <summary>Every body posted so far, oldest first, whatever it was answered.</summary>
    public IReadOnlyList<string> Calls
    {
        get
        {
            lock (sync)
            {
                return calls.ToArray();
            }
        }
    }

    public static async Task<FakeRobotResponseUrl> StartAsync()
    {
        var fake = new FakeRobotResponseUrl();
        fake.web = await LoopbackWebApp.StartAsync(app => app.Run(fake.HandleAsync));
        fake.BaseUrl = fake.web.BaseUrl;
        return fake;
    }

    /// <summary>A message's response_url as WeCom hands it out.</summary>
    public string UrlFor(string responseCode) => $"{BaseUrl}/cgi-bin/aibot/response?response_code={Uri.EscapeDataString(responseCode)}";

    /// <summary>Every call from now on is answered with HTTP <paramref name="httpStatus"/> and, under 200, <paramref name="errorCode"/>.</summary>
    public void Refuse(int httpStatus, int errorCode)
    {
        lock (sync)
        {
            status = httpStatus;
            errcode = errorCode;
        }
    }

    /// <summary>Completes with the bodies once at least <paramref name="count"/> arrived; throws <see cref="TimeoutException"/> after the deadline.</summary>
    public async Task<IReadOnlyList<string>> WaitForCallsAsync(int count, TimeSpan? deadline = null)
    {
        TaskCompletionSource reached;
        lock (sync)
        {
            if (calls.Count >= count)
            {
                return calls.ToArray();
            }

            reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            waiters.Add((count, reached));
        }

        await reached.Task.WaitAsync(deadline ?? FakeWeComApi.DefaultDeadline);
        return Calls;
    }

    private async Task HandleAsync(HttpContext context)
    {
        if (context.Request.Method != "POST" || context.Request.Path.Value != "/cgi-bin/aibot/response")
        {
            context.Response.StatusCode = 404;
            return;
        }

        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        int answerStatus, answerErrcode;
        lock (sync)
        {
            calls.Add(body);
            answerStatus = status;
            answerErrcode = errcode;
            foreach (var waiter in waiters.Where(w => calls.Count >= w.Count).ToList())
            {
                waiters.Remove(waiter);
                waiter.Reached.TrySetResult();
            }
        }

        context.Response.StatusCode = answerStatus;
        if (answerStatus == 200)
        {
            context.Response.ContentType = "application/json; charset=utf-8";
            await context.Response.WriteAsync(
                new JsonObject { ["errcode"] = answerErrcode, ["errmsg"] = answerErrcode == 0 ? "ok" : "scripted refusal" }.ToJsonString(),
                context.RequestAborted);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (web is not null)
        {
            await web.DisposeAsync();
        }
    }
}
