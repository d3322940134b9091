using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Components;
using TwinCluster.Dashboard.Components.Pages;
using TwinCluster.Dashboard.Components.Shared;
using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Dashboard.Tests.Components;

/// <summary>bUnit: the sign-in page and the status chip as rendered markup.</summary>
public sealed class SignInPageTests : BunitContext
{
    [Fact]
    public void The_form_posts_the_token_and_a_local_return_path_to_the_sign_in_endpoint()
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo("/signin?returnUrl=%2Fcondition%2Fwt-01-gen-de");
        var page = Render<SignIn>();

        var form = page.Find("form");
        Assert.Equal("post", form.GetAttribute("method"));
        Assert.Equal("/auth/signin", form.GetAttribute("action"));
        Assert.Equal("/condition/wt-01-gen-de", page.Find("input[name=returnUrl]").GetAttribute("value"));
        Assert.Equal("password", page.Find("input[name=token]").GetAttribute("type"));
        Assert.Empty(page.FindAll("[data-testid=signin-error]"));
        Assert.Empty(page.FindAll("[data-testid=signin-issuer]"));   // no issuer configured
    }

    [Fact]
    public void With_an_issuer_configured_the_page_offers_it_keeping_the_return_path()
    {
        Services.AddSingleton(new TwinCluster.Dashboard.Services.DashboardSignIn("Plant IdP", "/auth/oidc"));
        Services.GetRequiredService<NavigationManager>().NavigateTo("/signin?returnUrl=%2Falerts");
        var link = Render<SignIn>().Find("[data-testid=signin-issuer]");

        Assert.Equal("/auth/oidc?returnUrl=%2Falerts", link.GetAttribute("href"));
        Assert.Equal("Sign in with Plant IdP", link.TextContent);
    }

    [Theory]
    [InlineData("//evil.example/x")]
    [InlineData("https://evil.example/")]
    [InlineData("/\\evil.example")]
    public void A_return_url_to_another_site_becomes_the_fleet(string returnUrl)
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo("/signin?returnUrl=" + Uri.EscapeDataString(returnUrl));
        var page = Render<SignIn>();

        Assert.Equal("/", page.Find("input[name=returnUrl]").GetAttribute("value"));
    }

    [Fact]
    public void A_refused_token_is_explained()
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo("/signin?error=revoked&returnUrl=%2F");
        var page = Render<SignIn>();

        Assert.Equal("That token has been revoked.", page.Find("[data-testid=signin-error]").TextContent);
    }

    [Theory]
    [InlineData(HealthStatus.Alarm, "status-alarm")]
    [InlineData(HealthStatus.Warning, "status-warning")]
    [InlineData(HealthStatus.Unknown, "status-unknown")]
    public void The_status_chip_is_coloured_by_status(HealthStatus status, string css)
    {
        var chip = Render<StatusChip>(p => p.Add(c => c.Status, status));

        Assert.Contains(css, chip.Find("span").ClassList);
        Assert.Equal(status.ToString(), chip.Find("span").TextContent);
    }
}
