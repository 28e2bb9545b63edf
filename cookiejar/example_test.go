package cookiejar_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/relayhttp/relay/cookiejar"
	"github.com/relayhttp/relay/middleware"
)

func Example() {
	jar, err := cookiejar.New(nil)
	if err != nil {
		log.Fatal(err)
	}
	u, _ := url.Parse("https://www.example.com/account/login")
	jar.SetCookies(u, []*http.Cookie{
		{Name: "session", Value: "s1", Path: "/", Secure: true, HttpOnly: true},
		{Name: "theme", Value: "dark", Domain: "example.com", Path: "/", MaxAge: 3600},
		{Name: "tracker", Value: "x", Domain: "com"}, // a public suffix: ignored
	})

	for _, host := range []string{"https://www.example.com/", "https://shop.example.com/", "http://www.example.com/"} {
		u, _ := url.Parse(host)
		fmt.Println(host, jar.Cookies(u))
	}
	// Output:
	// https://www.example.com/ [session=s1 theme=dark]
	// https://shop.example.com/ [theme=dark]
	// http://www.example.com/ [theme=dark]
}

func ExampleJar_All() {
	jar, _ := cookiejar.New(nil)
	u, _ := url.Parse("https://www.example.com/")
	jar.SetCookies(u, []*http.Cookie{
		{Name: "b", Value: "2", Domain: "example.com", MaxAge: 60, SameSite: http.SameSiteLaxMode},
		{Name: "a", Value: "1", HttpOnly: true},
	})
	for _, e := range jar.All() {
		fmt.Printf("%s=%s domain=%s hostOnly=%v persistent=%v httpOnly=%v\n",
			e.Name, e.Value, e.Domain, e.HostOnly, e.Persistent, e.HttpOnly)
	}
	jar.Delete("www.example.com", "/", "a")
	fmt.Println(len(jar.All()), "left")
	// Output:
	// b=2 domain=example.com hostOnly=false persistent=true httpOnly=false
	// a=1 domain=www.example.com hostOnly=true persistent=false httpOnly=true
	// 1 left
}

func ExampleJar_Save() {
	dir, _ := os.MkdirTemp("", "cookies")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "cookies.txt")

	jar, _ := cookiejar.New(nil)
	u, _ := url.Parse("http://example.com/")
	jar.SetCookies(u, []*http.Cookie{
		{Name: "remember", Value: "me", MaxAge: 86400},
		{Name: "session", Value: "gone at exit"},
	})
	// curl -b cookies.txt reads this file; session cookies are left out.
	if err := jar.Save(path, &cookiejar.SaveOptions{Format: cookiejar.Netscape}); err != nil {
		log.Fatal(err)
	}

	next, _ := cookiejar.New(nil)
	if err := next.Load(path); err != nil {
		log.Fatal(err)
	}
	fmt.Println(next.Cookies(u))
	// Output:
	// [remember=me]
}

func ExampleJar_Load() {
	dir, _ := os.MkdirTemp("", "cookies")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "cookies.json")

	jar, _ := cookiejar.New(nil)
	// A first run has no file yet.
	if err := jar.Load(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		log.Fatal(err)
	}
	// A damaged file is reported with its line, and kept aside by Save.
	_ = os.WriteFile(path, []byte("{\n  \"format\": \"relay-cookiejar\",\n  \"version\": \"one\"\n}"), 0o600)
	err := jar.Load(path)
	fmt.Println(strings.Replace(err.Error(), path, "cookies.json", 1))
	if err := jar.Save(path, nil); err != nil {
		log.Fatal(err)
	}
	aside, _ := filepath.Glob(path + ".corrupt-*")
	fmt.Println(len(aside), "file kept aside")
	// Output:
	// cookiejar: corrupt cookie file cookies.json: line 3: bad version: json: cannot unmarshal string into Go value of type int
	// 1 file kept aside
}

func ExampleMiddleware() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/login":
			http.SetCookie(w, &http.Cookie{Name: "sid", Value: "42"})
			http.Redirect(w, r, "/whoami", http.StatusFound)
		case "/whoami":
			fmt.Fprintf(w, "Cookie: %s", r.Header.Get("Cookie"))
		}
	}))
	defer srv.Close()

	jar, _ := cookiejar.New(nil)
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: middleware.Chain(tr, cookiejar.Middleware(jar))}

	// The cookie set on the 302 is sent on the next hop.
	resp, err := client.Get(srv.URL + "/login")
	if err != nil {
		log.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	fmt.Println(string(b))

	// A per-request cookie is sent, not stored.
	ctx := cookiejar.WithCookies(context.Background(), &http.Cookie{Name: "debug", Value: "1"})
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/whoami", nil)
	resp, err = client.Do(req)
	if err != nil {
		log.Fatal(err)
	}
	b, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	fmt.Println(string(b))
	fmt.Println(len(jar.All()), "cookie in the jar")
	// Output:
	// Cookie: sid=42
	// Cookie: debug=1; sid=42
	// 1 cookie in the jar
}

// Withheld says which cookies of a site a request does not get, and why.
func ExampleJar_Withheld() {
	jar, _ := cookiejar.New(nil)
	site, _ := url.Parse("https://www.example.com/")
	jar.SetCookies(site, []*http.Cookie{
		{Name: "sid", Value: "s3cret", Secure: true},
		{Name: "lang", Value: "en"},
		{Name: "admin", Value: "1", Path: "/admin"},
	})
	plain, _ := url.Parse("http://www.example.com/docs")
	for _, c := range jar.Cookies(plain) {
		fmt.Println("sent", c.Name)
	}
	for _, w := range jar.Withheld(plain) {
		fmt.Println("withheld", w.Name+":", w.Reason)
	}
	// Output:
	// sent lang
	// withheld sid: Secure cookie over http
	// withheld admin: path /admin does not match /docs
}
