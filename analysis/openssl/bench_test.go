package openssl

import "testing"

const mozillaOld = "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-AES256-GCM-SHA384:DHE-RSA-AES128-GCM-SHA256:DHE-DSS-AES128-GCM-SHA256:kEDH+AESGCM:ECDHE-RSA-AES128-SHA256:ECDHE-ECDSA-AES128-SHA256:ECDHE-RSA-AES128-SHA:ECDHE-ECDSA-AES128-SHA:ECDHE-RSA-AES256-SHA384:ECDHE-ECDSA-AES256-SHA384:ECDHE-RSA-AES256-SHA:ECDHE-ECDSA-AES256-SHA:DHE-RSA-AES128-SHA256:DHE-RSA-AES128-SHA:DHE-DSS-AES128-SHA256:DHE-RSA-AES256-SHA256:DHE-DSS-AES256-SHA:DHE-RSA-AES256-SHA:ECDHE-RSA-DES-CBC3-SHA:ECDHE-ECDSA-DES-CBC3-SHA:EDH-RSA-DES-CBC3-SHA:AES128-GCM-SHA256:AES256-GCM-SHA384:AES128-SHA256:AES256-SHA256:AES128-SHA:AES256-SHA:AES:DES-CBC3-SHA:HIGH:SEED:!aNULL:!eNULL:!EXPORT:!DES:!RC4:!MD5:!PSK:!RSAPSK:!aDH:!aECDH:!EDH-DSS-DES-CBC3-SHA:!KRB5-DES-CBC3-SHA:!SRP"

func BenchmarkEvaluateNginxDefault(b *testing.B) {
	for i := 0; i < b.N; i++ {
		evaluate("HIGH:!aNULL:!MD5", "3.0", false)
	}
}

func BenchmarkEvaluateNginxDefaultCached(b *testing.B) {
	for i := 0; i < b.N; i++ {
		Evaluate("HIGH:!aNULL:!MD5", "3.0")
	}
}

func BenchmarkEvaluateMozillaOld(b *testing.B) {
	for i := 0; i < b.N; i++ {
		evaluate(mozillaOld, "3.0", false)
	}
}

func BenchmarkEvaluateMozillaOldCached(b *testing.B) {
	for i := 0; i < b.N; i++ {
		Evaluate(mozillaOld, "3.0")
	}
}

func BenchmarkEvaluateMozillaOldLegacy(b *testing.B) {
	for i := 0; i < b.N; i++ {
		evaluate(mozillaOld, "1.0.2", false)
	}
}
