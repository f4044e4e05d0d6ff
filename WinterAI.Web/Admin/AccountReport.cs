namespace WinterAI.Web.Admin;

/// <summary>One account WinterAI serves: a channel with its keys, and the Dify app that answers it.</summary>
/// <param name="Account">The account id (official account: AppID; WeCom: CorpID:AgentID; robot: its id).</param>
/// <param name="Channel">official-account, wecom, wecom-robot.</param>
/// <param name="Enabled">False while the channel's keys are absent: its route answers 404.</param>
/// <param name="Route">Where the platform calls it.</param>
public sealed record AccountReport(string Account, string Channel, bool Enabled, string Route, DifyAppReport Dify);

/// <summary>The Dify app behind an account; the key only says whether it is set.</summary>
/// <param name="AppType">The configured type, or the one Dify's <c>GET /info</c> named (<c>chat</c> when it cannot say).</param>
/// <param name="Health">Whether Dify answers: <c>ok</c>, <c>not configured</c>, <c>circuit open</c>, <c>HTTP 401</c>, <c>unreachable</c>.</param>
public sealed record DifyAppReport(string BaseUrl, bool ApiKeySet, string AppType, string Health);
