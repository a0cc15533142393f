def stories(request, slug):
    raise NotImplementedError


def story_new(request, slug):
    raise NotImplementedError


def story_detail(request, slug, pk):
    raise NotImplementedError


def story_withdraw(request, slug, pk):
    raise NotImplementedError


def story_consent(request, slug, pk):
    raise NotImplementedError
